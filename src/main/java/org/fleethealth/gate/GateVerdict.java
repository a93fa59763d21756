package org.fleethealth.gate;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a release can go. */
public enum GateVerdict {

	/** No stable builder blocks. */
	GO("go"),
	/** At least one stable builder blocks. */
	NO_GO("no-go");

	private final String label;

	GateVerdict(String label) {
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
