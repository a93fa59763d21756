package org.fleethealth.quarantine;

/** The quarantine is not in a state that allows what was asked (approving a closed one, releasing a proposal). */
public class QuarantineConflictException extends RuntimeException {

	public QuarantineConflictException(String message) {
		super(message);
	}

}
