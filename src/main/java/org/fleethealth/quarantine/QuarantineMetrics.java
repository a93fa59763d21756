package org.fleethealth.quarantine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.stereotype.Component;

/**
 * {@code fleet_worker_quarantined{master,worker}}: 1 while fleet-health holds a worker paused, 0 for every other
 * configured worker (replaced after each classification and each pause or release, so a scrape reads no database);
 * {@code fleet_quarantine_refusals_total{reason}}: quarantines the safety valve refused, every reason exported
 * from 0.
 */
@Component
class QuarantineMetrics {

	private final MultiGauge quarantined;

	private final Map<Refusal, Counter> refusals = new TreeMap<>();

	private final Map<String, Map<String, Integer>> byMaster = new TreeMap<>();

	QuarantineMetrics(MeterRegistry registry) {
		this.quarantined = MultiGauge.builder("fleet.worker.quarantined")
			.description("1 while fleet-health holds the worker paused in Buildbot (quarantined), else 0")
			.register(registry);
		for (Refusal r : Refusal.values()) {
			this.refusals.put(r, Counter.builder("fleet.quarantine.refusals")
				.description("Quarantines the safety valve refused, by reason")
				.tag("reason", r.label())
				.register(registry));
		}
	}

	void refused(Refusal refusal) {
		this.refusals.get(refusal).increment();
	}

	/** Replaces a master's series: its configured workers, 1 for those quarantined. */
	synchronized void update(String master, Iterable<String> workers, Set<String> quarantined) {
		Map<String, Integer> values = new TreeMap<>();
		workers.forEach((w) -> values.put(w, quarantined.contains(w) ? 1 : 0));
		quarantined.forEach((w) -> values.put(w, 1));
		this.byMaster.put(master, values);
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		this.byMaster.forEach((m, ws) -> ws.forEach(
				(w, v) -> rows.add(MultiGauge.Row.of(Tags.of("master", m, "worker", w), v))));
		this.quarantined.register(rows, true);
	}

	/** Marks one worker without touching the others (after a pause or release between rounds). */
	synchronized void set(String master, String worker, boolean quarantined) {
		Map<String, Integer> values = this.byMaster.computeIfAbsent(master, (k) -> new TreeMap<>());
		values.put(worker, quarantined ? 1 : 0);
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		this.byMaster.forEach((m, ws) -> ws.forEach(
				(w, v) -> rows.add(MultiGauge.Row.of(Tags.of("master", m, "worker", w), v))));
		this.quarantined.register(rows, true);
	}

}
