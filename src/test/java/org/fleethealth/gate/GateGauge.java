package org.fleethealth.gate;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;

/** Reads {@code fleet_release_gate} as a scrape would. */
final class GateGauge {

	private GateGauge() {
	}

	/** The value of the series of a master ({@code branch} {@code null}) or of one of its branches; NaN if absent. */
	static double value(PrometheusRegistry registry, String master, String branch) {
		Labels labels = (branch != null) ? Labels.of("branch", branch, "master", master) : Labels.of("master", master);
		return registry.scrape((name) -> name.equals(GateMetrics.NAME))
			.stream()
			.filter(GaugeSnapshot.class::isInstance)
			.flatMap((s) -> ((GaugeSnapshot) s).getDataPoints().stream())
			.filter((p) -> p.getLabels().equals(labels))
			.mapToDouble(GaugeSnapshot.GaugeDataPointSnapshot::getValue)
			.findFirst()
			.orElse(Double.NaN);
	}

}
