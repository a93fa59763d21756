package org.fleethealth.pruning;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a proposal asks for. */
public enum ProposalKind {

	/** Take the worker's builders off the waterfall until it is back. */
	HIDE_BUILDERS("hide-builders"),
	/** Remove the worker (and its builders) from the master configuration. */
	REMOVE_WORKER("remove-worker");

	private final String label;

	ProposalKind(String label) {
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
