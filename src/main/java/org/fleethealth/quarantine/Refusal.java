package org.fleethealth.quarantine;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why the safety valve refused a quarantine: the {@code reason} label of {@code fleet_quarantine_refusals_total}. */
public enum Refusal {

	/** Its recent host failures are on revisions that also failed on its peers: the code's, not the host's. */
	CODE_BREAK("code-break"),
	/** A stable builder would be left with no connected, unpaused worker. */
	STABLE_BUILDER("stable-builder"),
	/** More than {@code max-share} of a build class's workers would be quarantined by fleet-health. */
	CLASS_SHARE("class-share"),
	/** More than {@code max-share} of the master's workers would be quarantined by fleet-health. */
	MASTER_SHARE("master-share");

	private final String label;

	Refusal(String label) {
		this.label = label;
	}

	@JsonValue
	public String label() {
		return this.label;
	}

	@Override
	public String toString() {
		return this.label;
	}

}
