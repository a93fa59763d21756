package org.fleethealth.quarantine;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a quarantine is in its life. Open ones block a second one for the same worker. */
public enum QuarantineStatus {

	/** Waiting for a maintainer's decision. */
	PROPOSED("proposed", true),
	/** Paused in Buildbot by fleet-health. */
	QUARANTINED("quarantined", true),
	/** Unpaused again; its next builds decide whether it stays out of quarantine. */
	PROBATION("probation", true),
	/** The safety valve refused it; the reason is on the proposal. */
	REFUSED("refused", false),
	/** A maintainer said no. */
	REJECTED("rejected", false),
	/** The master refused fleet-health's pause (HTTP 401/403): nothing was done. */
	NO_ACCESS("no-access", false),
	/** It stopped being flaky-host, left the configuration, or was paused by someone else before a decision. */
	WITHDRAWN("withdrawn", false),
	/** Back to normal: probation passed, or someone unpaused it outside fleet-health. */
	RELEASED("released", false),
	/** A host failure during probation: a new quarantine took over. */
	PROBATION_FAILED("probation-failed", false);

	private final String label;

	private final boolean open;

	QuarantineStatus(String label, boolean open) {
		this.label = label;
		this.open = open;
	}

	@JsonValue
	public String label() {
		return this.label;
	}

	public boolean isOpen() {
		return this.open;
	}

	/** The status as a sentence says it after "is": "is on probation", not "is probation". */
	public String phrase() {
		return switch (this) {
			case PROBATION -> "on probation";
			case NO_ACCESS -> "not done (the master refused the pause)";
			case PROBATION_FAILED -> "closed (its probation failed)";
			default -> this.label;
		};
	}

	/**
	 * The status with that label.
	 *
	 * @throws IllegalArgumentException for an unknown label
	 */
	public static QuarantineStatus fromLabel(String label) {
		return Arrays.stream(values())
			.filter((s) -> s.label.equalsIgnoreCase(label) || s.name().equalsIgnoreCase(label))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown quarantine status '" + label + "'; expected one of "
					+ String.join(", ", Arrays.stream(values()).map(QuarantineStatus::label).toList())));
	}

	@Override
	public String toString() {
		return this.label;
	}

}
