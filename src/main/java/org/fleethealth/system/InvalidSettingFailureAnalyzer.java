package org.fleethealth.system;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a start stopped by an {@link InvalidSettingException} as Spring Boot reports a property it cannot bind:
 * "APPLICATION FAILED TO START", the setting and what is wrong with it, what to do; not a hundred lines of stack
 * trace with the reason in the last "Caused by". Registered in {@code META-INF/spring.factories}.
 */
class InvalidSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> {

	/** What to do about any setting a start was stopped for. */
	static final String ACTION = "Correct what is named above (README.md, 'Configuration reference') and start again.";

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingException cause) {
		return new FailureAnalysis(cause.getMessage(), ACTION, cause);
	}

}
