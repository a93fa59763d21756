package org.fleethealth.system;

/**
 * A {@code fleet-health.*} setting that cannot be used as given, found while the service starts (a password that is
 * not a bcrypt hash, a downtime window that does not parse). Its message names the setting and says what is
 * expected; the start stops with that message and no stack trace ({@link InvalidSettingFailureAnalyzer}).
 */
public class InvalidSettingException extends IllegalArgumentException {

	public InvalidSettingException(String message) {
		super(message);
	}

	public InvalidSettingException(String message, Throwable cause) {
		super(message, cause);
	}

}
