package org.fleethealth.gate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.stereotype.Component;

/**
 * {@code fleet_release_gate{master}}: 1 when a master's release gate is go, 0 when no-go. Like the fleet
 * gauges, rows read their value by key from a snapshot replaced after each evaluation, so a scrape never
 * touches the database and never sees a series missing.
 */
@Component
class GateMetrics {

	private final MultiGauge gate;

	private volatile Map<String, Double> values = Map.of();

	GateMetrics(MeterRegistry registry) {
		this.gate = MultiGauge.builder("fleet.release.gate")
			.description("Release gate of the master: 1 for go, 0 for no-go")
			.register(registry);
	}

	synchronized void publish(Map<String, GateReport> latest) {
		Map<String, Double> next = new HashMap<>();
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		latest.forEach((master, report) -> {
			next.put(master, (report.verdict() == GateVerdict.GO) ? 1.0 : 0.0);
			rows.add(MultiGauge.Row.of(Tags.of("master", master), master, this::value));
		});
		// New values first, then the set of series: an added series never reads a missing value.
		this.values = next;
		this.gate.register(rows, false);
	}

	private double value(String master) {
		return this.values.getOrDefault(master, Double.NaN);
	}

}
