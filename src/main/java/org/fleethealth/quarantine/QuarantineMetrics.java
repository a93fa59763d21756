package org.fleethealth.quarantine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.stereotype.Component;

/**
 * {@code fleet_worker_quarantined{master,worker}}: 1 while fleet-health holds a worker paused, 0 for every other
 * configured worker, from a map replaced after each classification and changed by each pause or release (a scrape
 * reads no database; the series are registered again only when the workers change);
 * {@code fleet_quarantine_refusals_total{reason}}: quarantines the safety valve refused, every reason from 0.
 */
@Component
class QuarantineMetrics {

	private final MultiGauge quarantined;

	private final Map<Refusal, Counter> refusals = new ConcurrentHashMap<>();

	/** Master, then worker: 1 or 0. */
	private final Map<String, Map<String, Integer>> values = new ConcurrentHashMap<>();

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
		Map<String, Integer> next = new ConcurrentHashMap<>();
		workers.forEach((w) -> next.put(w, quarantined.contains(w) ? 1 : 0));
		quarantined.forEach((w) -> next.put(w, 1));
		Map<String, Integer> before = this.values.put(master, next);
		if (before == null || !before.keySet().equals(next.keySet())) {
			register();
		}
	}

	/** Sets a master's quarantined workers to 1 and the others it has series for to 0, adding no zero series. */
	synchronized void refresh(String master, Set<String> quarantined) {
		Map<String, Integer> workers = this.values.computeIfAbsent(master, (k) -> new ConcurrentHashMap<>());
		boolean added = false;
		for (String w : workers.keySet()) {
			workers.put(w, quarantined.contains(w) ? 1 : 0);
		}
		for (String w : quarantined) {
			added |= workers.put(w, 1) == null;
		}
		if (added) {
			register();
		}
	}

	/** Marks one worker, between two classifications (after a pause or a release). */
	synchronized void set(String master, String worker, boolean quarantined) {
		Map<String, Integer> workers = this.values.computeIfAbsent(master, (k) -> new ConcurrentHashMap<>());
		if (workers.put(worker, quarantined ? 1 : 0) == null) {
			register();
		}
	}

	private void register() {
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		for (String master : new HashSet<>(this.values.keySet())) {
			for (String worker : this.values.get(master).keySet()) {
				rows.add(MultiGauge.Row.of(Tags.of("master", master, "worker", worker), this,
						(m) -> m.value(master, worker)));
			}
		}
		this.quarantined.register(rows, true);
	}

	private double value(String master, String worker) {
		return this.values.getOrDefault(master, Map.of()).getOrDefault(worker, 0);
	}

}
