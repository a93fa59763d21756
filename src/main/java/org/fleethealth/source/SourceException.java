package org.fleethealth.source;

/**
 * A source could not answer: unreachable, timed out, refused, or sent something that is not what its
 * API promises. The message is written for the log and the masters page: it says what was asked and
 * what went wrong.
 */
public class SourceException extends RuntimeException {

	public SourceException(String message) {
		super(message);
	}

	public SourceException(String message, Throwable cause) {
		super(message, cause);
	}

}
