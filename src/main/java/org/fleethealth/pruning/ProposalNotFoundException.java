package org.fleethealth.pruning;

/** No proposal has the given id. */
public class ProposalNotFoundException extends RuntimeException {

	public ProposalNotFoundException(long id) {
		super("No proposal " + id);
	}

}
