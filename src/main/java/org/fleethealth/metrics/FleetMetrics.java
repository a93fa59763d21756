package org.fleethealth.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.MasterState;
import org.fleethealth.health.Outcome;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;
import org.fleethealth.health.WorkersClassified;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Publishes the fleet's state as gauges. State sets follow kube-state-metrics: one series per state, exactly
 * one at 1, zeros always exported; fixed properties live in {@code fleet_worker_info}. Label values are
 * bounded: masters, workers, build classes, states and outcomes only.
 */
@Component
class FleetMetrics {

	private final FleetQueries fleet;

	private final Map<String, List<WorkerReport>> snapshot = new ConcurrentHashMap<>();

	private volatile Map<String, Double> values = Map.of();

	private final MultiGauge workerState;

	private final MultiGauge workers;

	private final MultiGauge workerInfo;

	private final MultiGauge lastSeen;

	private final MultiGauge stateSince;

	private final MultiGauge builds;

	private final MultiGauge hostFailureRatio;

	private final MultiGauge classWorkers;

	private final MultiGauge sourceUp;

	private final MultiGauge sourceLastSuccess;

	FleetMetrics(MeterRegistry registry, FleetQueries fleet) {
		this.fleet = fleet;
		this.workerState = MultiGauge.builder("fleet.worker.state")
			.description("Worker state: 1 for the state the worker is in, 0 for the others")
			.register(registry);
		this.workers = MultiGauge.builder("fleet.workers").description("Number of workers in each state").register(registry);
		this.workerInfo = MultiGauge.builder("fleet.worker.info")
			.description("Fixed properties of a worker: owner and buildbot-worker version")
			.register(registry);
		this.lastSeen = MultiGauge.builder("fleet.worker.last.seen.timestamp")
			.baseUnit("seconds")
			.description("When a poll last saw the worker connected (Unix time)")
			.register(registry);
		this.stateSince = MultiGauge.builder("fleet.worker.state.since.timestamp")
			.baseUnit("seconds")
			.description("When the worker entered its current state (Unix time)")
			.register(registry);
		this.builds = MultiGauge.builder("fleet.worker.builds")
			.description("Builds of the worker in the classification window, by outcome")
			.register(registry);
		this.hostFailureRatio = MultiGauge.builder("fleet.worker.host.failure.ratio")
			.description("Share of the worker's builds in the window that failed because of the host")
			.register(registry);
		this.classWorkers = MultiGauge.builder("fleet.build.class.workers")
			.description("Number of workers serving each build class, by state")
			.register(registry);
		this.sourceUp = MultiGauge.builder("fleet.source.up")
			.description("1 when the last poll of the master succeeded, else 0")
			.register(registry);
		this.sourceLastSuccess = MultiGauge.builder("fleet.source.last.success.timestamp")
			.baseUnit("seconds")
			.description("When a poll of the master last succeeded (Unix time; 0 if never)")
			.register(registry);
	}

	@EventListener
	void onClassified(WorkersClassified classified) {
		this.snapshot.put(classified.master(), List.copyOf(classified.workers()));
		publish(this.fleet.masters());
	}

	/**
	 * Replaces every series from the snapshot; series of vanished workers disappear. Gauges read their value
	 * from {@link #values} by key, so a series that stays is never removed and re-added: a scrape always sees
	 * the complete state set.
	 */
	synchronized void publish(List<MasterState> masters) {
		Map<String, Double> next = new HashMap<>();
		Rows state = new Rows("state", next);
		Rows counts = new Rows("workers", next);
		Rows info = new Rows("info", next);
		Rows seen = new Rows("seen", next);
		Rows since = new Rows("since", next);
		Rows outcome = new Rows("builds", next);
		Rows ratio = new Rows("ratio", next);
		Rows classes = new Rows("classes", next);
		Rows up = new Rows("up", next);
		Rows lastSuccess = new Rows("lastSuccess", next);
		for (MasterState master : masters) {
			if (!this.fleet.masterNames().contains(master.getName())) {
				continue;
			}
			Tags tags = Tags.of("master", master.getName());
			up.add(tags, master.isUp() ? 1 : 0);
			lastSuccess.add(tags,
					(master.getLastSuccessAt() != null) ? master.getLastSuccessAt().toEpochMilli() / 1000.0 : 0);
		}
		this.snapshot.forEach((master, reports) -> {
			Map<WorkerState, Integer> perState = new TreeMap<>();
			Map<String, Map<WorkerState, Integer>> perClass = new TreeMap<>();
			for (WorkerReport w : reports) {
				Tags worker = Tags.of("master", master, "worker", w.name());
				for (WorkerState s : WorkerState.values()) {
					state.add(worker.and("state", s.label()), (w.state() == s) ? 1 : 0);
				}
				perState.merge(w.state(), 1, Integer::sum);
				info.add(worker.and("owner", owner(w), "version", nullToEmpty(w.version())), 1);
				if (w.lastSeen() != null) {
					seen.add(worker, w.lastSeen().toEpochMilli() / 1000.0);
				}
				since.add(worker, w.since().toEpochMilli() / 1000.0);
				outcome.add(worker.and("outcome", Outcome.SUCCESS.label()), w.builds().success());
				outcome.add(worker.and("outcome", Outcome.FAILURE.label()), w.builds().failure());
				outcome.add(worker.and("outcome", Outcome.HOST_FAILURE.label()), w.builds().hostFailure());
				outcome.add(worker.and("outcome", Outcome.CODE_BREAK.label()), w.builds().codeBreak());
				ratio.add(worker, w.builds().hostFailureRatio());
				for (String c : w.classes()) {
					perClass.computeIfAbsent(c, (k) -> new TreeMap<>()).merge(w.state(), 1, Integer::sum);
				}
			}
			for (WorkerState s : WorkerState.values()) {
				counts.add(Tags.of("master", master, "state", s.label()), perState.getOrDefault(s, 0));
			}
			perClass.forEach((c, byState) -> {
				for (WorkerState s : WorkerState.values()) {
					classes.add(Tags.of("master", master, "class", c, "state", s.label()), byState.getOrDefault(s, 0));
				}
			});
		});
		// New values first, then the set of series: an added series never reads a missing value.
		this.values = next;
		this.workerState.register(state.rows, false);
		this.workers.register(counts.rows, false);
		this.workerInfo.register(info.rows, false);
		this.lastSeen.register(seen.rows, false);
		this.stateSince.register(since.rows, false);
		this.builds.register(outcome.rows, false);
		this.hostFailureRatio.register(ratio.rows, false);
		this.classWorkers.register(classes.rows, false);
		this.sourceUp.register(up.rows, false);
		this.sourceLastSuccess.register(lastSuccess.rows, false);
	}

	private double value(String key) {
		return this.values.getOrDefault(key, Double.NaN);
	}

	/** The series of one metric: each row reads its value by key from the current values. */
	private final class Rows {

		private final String metric;

		private final Map<String, Double> next;

		private final List<MultiGauge.Row<?>> rows = new ArrayList<>();

		Rows(String metric, Map<String, Double> next) {
			this.metric = metric;
			this.next = next;
		}

		void add(Tags tags, double value) {
			String key = this.metric + tags;
			this.next.put(key, value);
			this.rows.add(MultiGauge.Row.of(tags, key, FleetMetrics.this::value));
		}

	}

	private static String owner(WorkerReport w) {
		if (w.owner() == null) {
			return "";
		}
		if (w.owner().email() != null) {
			return (w.owner().name() != null) ? w.owner().name() + " <" + w.owner().email() + ">" : w.owner().email();
		}
		return nullToEmpty(w.owner().name());
	}

	private static String nullToEmpty(String s) {
		return (s != null) ? s : "";
	}

}
