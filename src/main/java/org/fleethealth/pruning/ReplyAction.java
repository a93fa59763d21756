package org.fleethealth.pruning;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonValue;

/** What an owner can answer about a worker. */
public enum ReplyAction {

	/** It will be back by a date: proposals wait until then. */
	BACK_BY("back-by", "Back by a date"),
	/** The owner is looking into it. */
	INVESTIGATING("investigating", "Investigating"),
	/** The owner retires it: its removal is approved. */
	RETIRE("retire", "Retire it"),
	/** The owner fixed its host: fleet-health releases it from quarantine, on probation. */
	FIXED("fixed", "It is fixed");

	private final String label;

	private final String title;

	ReplyAction(String label, String title) {
		this.label = label;
		this.title = title;
	}

	@JsonValue
	public String label() {
		return this.label;
	}

	public String title() {
		return this.title;
	}

	public static ReplyAction fromLabel(String label) {
		return Arrays.stream(values())
			.filter((a) -> a.label.equals(label))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown reply '" + label + "'"));
	}

	@Override
	public String toString() {
		return this.label;
	}

}
