package org.fleethealth.health;

import java.time.Duration;

import org.fleethealth.fleet.BuildHistoryNeed;
import org.springframework.stereotype.Component;

/** The classifier judges a worker's builds within {@code fleet-health.classification.window}. */
@Component
class WindowHistoryNeed implements BuildHistoryNeed {

	private final ClassificationProperties properties;

	WindowHistoryNeed(ClassificationProperties properties) {
		this.properties = properties;
	}

	@Override
	public String property() {
		return "fleet-health.classification.window";
	}

	@Override
	public Duration reach() {
		return this.properties.window();
	}

}
