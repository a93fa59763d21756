package org.fleethealth.pruning;

/** A proposal that was approved, rejected or withdrawn cannot be decided again. */
public class ProposalClosedException extends IllegalStateException {

	public ProposalClosedException(long id, ProposalStatus status) {
		super("Proposal " + id + " is " + status + " and can no longer be decided");
	}

	/** @param message what cannot be done to the proposal, and what can */
	ProposalClosedException(String message) {
		super(message);
	}

}
