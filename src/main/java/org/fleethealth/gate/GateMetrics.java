package org.fleethealth.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code fleet_release_gate}: 1 when a release gate is go, 0 when no-go; {@code {master}} for every branch of the
 * master (no-go as soon as one branch is), {@code {master,branch}} for each branch with stable builders.
 *
 * <p>
 * One metric with two label sets, which Micrometer does not allow, so it is a Prometheus collector of its own, like
 * the fleet gauges: the set of series is built once per evaluation and swapped in whole, so a scrape never touches
 * the database and never sees a series missing. Without Prometheus export there is nothing to build.
 */
@Component
class GateMetrics implements MultiCollector {

	static final String NAME = "fleet_release_gate";

	private static final MetricMetadata METADATA = new MetricMetadata(NAME,
			"Release gate: 1 for go, 0 for no-go; per master (every branch) and per master and branch");

	private final boolean exported;

	private volatile MetricSnapshots snapshots = new MetricSnapshots();

	GateMetrics(ObjectProvider<PrometheusRegistry> registry) {
		PrometheusRegistry prometheus = registry.getIfAvailable();
		this.exported = prometheus != null;
		if (prometheus != null) {
			prometheus.register(this);
		}
	}

	@Override
	public MetricSnapshots collect() {
		return this.snapshots;
	}

	@Override
	public List<String> getPrometheusNames() {
		return List.of(NAME);
	}

	synchronized void publish(Map<String, GateReport> latest) {
		if (!this.exported) {
			return;
		}
		List<GaugeDataPointSnapshot> points = new ArrayList<>();
		new TreeMap<>(latest).forEach((master, report) -> {
			points.add(new GaugeDataPointSnapshot(value(report.verdict()), Labels.of("master", master), null));
			for (GateReport.BranchGate branch : report.branches()) {
				points.add(new GaugeDataPointSnapshot(value(branch.verdict()),
						Labels.of("branch", branch.branch(), "master", master), null));
			}
		});
		this.snapshots = points.isEmpty() ? new MetricSnapshots()
				: new MetricSnapshots(new GaugeSnapshot(METADATA, points));
	}

	private static double value(GateVerdict verdict) {
		return (verdict == GateVerdict.GO) ? 1.0 : 0.0;
	}

}
