package org.fleethealth.health;

import com.fasterxml.jackson.annotation.JsonValue;

/** What one finished build says about its worker. */
public enum Outcome {

	SUCCESS("success"),
	/** Failed, and nothing points at the host or at the code everywhere. */
	FAILURE("failure"),
	/** The host's fault: exception/retry, a failing infrastructure step, or an intermittent failure. */
	HOST_FAILURE("host_failure"),
	/** The revision failed on (nearly) all peers: the code's fault, nobody's host. */
	CODE_BREAK("code_break");

	private final String label;

	Outcome(String label) {
		this.label = label;
	}

	@JsonValue
	public String label() {
		return this.label;
	}

}
