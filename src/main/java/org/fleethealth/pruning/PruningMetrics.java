package org.fleethealth.pruning;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.stereotype.Component;

/**
 * {@code fleet_pruning_candidates{master}}: proposals waiting for a maintainer's decision. Counted after each
 * evaluation and decision, so a scrape reads a number, not the database.
 */
@Component
class PruningMetrics {

	private final Map<String, Integer> waiting = new ConcurrentHashMap<>();

	private final MultiGauge candidates;

	PruningMetrics(MeterRegistry registry) {
		this.candidates = MultiGauge.builder("fleet.pruning.candidates")
			.description("Removal proposals waiting for a maintainer's decision")
			.register(registry);
	}

	synchronized void update(String master, int count) {
		Integer before = this.waiting.put(master, count);
		if (before == null) {
			// Rows read the live map, so only a new master needs registering.
			this.candidates.register(this.waiting.keySet()
				.stream()
				.map((m) -> MultiGauge.Row.of(Tags.of("master", m), m, this::value))
				.toList(), false);
		}
	}

	private double value(String master) {
		return this.waiting.getOrDefault(master, 0);
	}

}
