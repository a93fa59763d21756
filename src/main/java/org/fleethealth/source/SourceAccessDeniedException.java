package org.fleethealth.source;

/**
 * A master refused a change for want of rights (HTTP 401 or 403): fleet-health has no write access there, or its
 * login ({@code fleet-health.masters[N].username}/{@code .password}) was refused or lacks the role.
 */
public class SourceAccessDeniedException extends SourceException {

	public SourceAccessDeniedException(String message) {
		super(message);
	}

}
