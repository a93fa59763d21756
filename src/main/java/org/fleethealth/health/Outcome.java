package org.fleethealth.health;

import com.fasterxml.jackson.annotation.JsonValue;

/** What one finished build says about its worker. */
public enum Outcome {

	SUCCESS("success"),
	/** Failed, and nothing points at the host or at the code everywhere: the build's (its builder's) failure. */
	FAILURE("failure"),
	/**
	 * The host's fault: exception/retry, a failing infrastructure step, an intermittent failure, or failures that
	 * concentrate on this worker of a shared builder.
	 */
	HOST_FAILURE("host_failure"),
	/** The revision failed on most builders that built it: the code's fault, nobody's host. */
	CODE_BREAK("code_break"),
	/**
	 * Ended by its master (a restart or stop), or by an outage of the master or the repository that many workers
	 * met at once: nobody's host, not counted among the builds.
	 */
	INTERRUPTED("interrupted");

	private final String label;

	Outcome(String label) {
		this.label = label;
	}

	@JsonValue
	public String label() {
		return this.label;
	}

}
