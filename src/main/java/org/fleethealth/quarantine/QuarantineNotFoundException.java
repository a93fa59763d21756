package org.fleethealth.quarantine;

/** No quarantine with that number. */
public class QuarantineNotFoundException extends RuntimeException {

	public QuarantineNotFoundException(long id) {
		super("No quarantine proposal #" + id);
	}

}
