package org.fleethealth.pruning;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a proposal is in its life: proposed, then approved, rejected, snoozed or withdrawn. */
public enum ProposalStatus {

	PROPOSED("proposed", true), APPROVED("approved", true), SNOOZED("snoozed", true), REJECTED("rejected", false),
	/** The worker recovered before anybody decided. */
	WITHDRAWN("withdrawn", false);

	private final String label;

	private final boolean open;

	ProposalStatus(String label, boolean open) {
		this.label = label;
		this.open = open;
	}

	@JsonValue
	public String label() {
		return this.label;
	}

	/** Open proposals block a second one of the same kind for the same worker. */
	public boolean isOpen() {
		return this.open;
	}

	/**
	 * Whether a maintainer can still approve, reject or snooze it: proposed or snoozed. An approved proposal
	 * stays open (it still blocks a second one) but is decided.
	 */
	public boolean isDecidable() {
		return this == PROPOSED || this == SNOOZED;
	}

	public static ProposalStatus fromLabel(String label) {
		return Arrays.stream(values())
			.filter((s) -> s.label.equalsIgnoreCase(label))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown status '" + label
					+ "'; expected one of proposed, approved, snoozed, rejected, withdrawn"));
	}

	@Override
	public String toString() {
		return this.label;
	}

}
