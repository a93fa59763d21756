package org.fleethealth.gate;

import java.time.Duration;

import org.fleethealth.fleet.BuildHistoryNeed;
import org.springframework.stereotype.Component;

/** The stable-set proposal judges a builder's builds within {@code fleet-health.gate.stable-after}. */
@Component
class StableAfterHistoryNeed implements BuildHistoryNeed {

	private final GateProperties properties;

	StableAfterHistoryNeed(GateProperties properties) {
		this.properties = properties;
	}

	@Override
	public String property() {
		return "fleet-health.gate.stable-after";
	}

	@Override
	public Duration reach() {
		return this.properties.stableAfter();
	}

}
