package org.fleethealth.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.fleethealth.fleet.MasterStatus;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;

/**
 * Builds the fleet families ({@code fleet_worker_state}, {@code fleet_workers}, {@code fleet_worker_info}, ...) from
 * each master's latest {@link WorkerReport}s as Prometheus snapshots, for {@link FleetMetrics}. Building sorts and
 * validates every data point (about 13 a worker), so it happens once per classification, not per scrape, and only
 * for the families whose points changed: the others are kept from the last set, and so are the points of each worker
 * whose report shows the same ({@link WorkerSeries}).
 *
 * <p>
 * Not thread-safe: {@link FleetMetrics} builds one set at a time.
 */
final class FleetSnapshots {

	/** Counts per state are kept in arrays indexed by {@link WorkerState#ordinal()}. */
	private static final int STATE_COUNT = WorkerState.values().length;

	private static final MetricMetadata WORKER_STATE = new MetricMetadata("fleet_worker_state",
			"Worker state: 1 for the state the worker is in, 0 for the others");

	private static final MetricMetadata WORKERS = new MetricMetadata("fleet_workers", "Number of workers in each state");

	// LLVM's production and staging masters list the same workers, and a worker connects to one of them: summed over
	// masters, fleet_workers counts it once per master.
	private static final MetricMetadata WORKERS_ELSEWHERE = new MetricMetadata("fleet_workers_connected_elsewhere",
			"Workers of fleet_workers not connected to this master but to another watched master under the same name");

	// What to take off the sum to count each worker once: also those connected nowhere, counted on one master.
	private static final MetricMetadata WORKERS_COUNTED_ELSEWHERE = new MetricMetadata("fleet_workers_counted_elsewhere",
			"Workers of fleet_workers that another watched master counts under the same name (the one it is connected"
					+ " to, else the first configured): subtract from the sum over masters to count each worker once");

	// An info metric is named without its _info suffix (a reserved one); Micrometer exported this gauge as
	// the same InfoSnapshot: "# TYPE fleet_worker_info gauge" in text 0.0.4, "# TYPE fleet_worker info" in
	// OpenMetrics, and the value 1 on both.
	private static final MetricMetadata WORKER_INFO = new MetricMetadata("fleet_worker",
			"Fixed properties of a worker: owner and buildbot-worker version");

	// No Unit in the metadata: Micrometer set none, and a unit would add "# UNIT" lines to OpenMetrics.
	private static final MetricMetadata LAST_SEEN = new MetricMetadata("fleet_worker_last_seen_timestamp_seconds",
			"When a poll last saw the worker connected (Unix time)");

	private static final MetricMetadata CONNECTED = new MetricMetadata("fleet_worker_connected",
			"1 when the worker is connected to its master, else 0 (heard live where the master streams events)");

	private static final MetricMetadata STATE_SINCE = new MetricMetadata("fleet_worker_state_since_timestamp_seconds",
			"When the worker entered its current state (Unix time)");

	private static final MetricMetadata BUILDS = new MetricMetadata("fleet_worker_builds",
			"Builds of the worker in the classification window, by outcome");

	private static final MetricMetadata HOST_FAILURE_RATIO = new MetricMetadata("fleet_worker_host_failure_ratio",
			"Share of the worker's builds in the window that failed because of the host");

	private static final MetricMetadata STUCK_BUILDS = new MetricMetadata("fleet_worker_stuck_builds",
			"Builds of the worker running for longer than fleet-health.classification.stuck-after");

	private static final MetricMetadata CLASS_WORKERS = new MetricMetadata("fleet_build_class_workers",
			"Number of workers serving each build class, by state");

	private static final MetricMetadata SOURCE_UP = new MetricMetadata("fleet_source_up",
			"1 when the last poll of the master succeeded, else 0");

	private static final MetricMetadata SOURCE_LAST_SUCCESS = new MetricMetadata(
			"fleet_source_last_success_timestamp_seconds",
			"When a poll of the master last succeeded (Unix time; 0 if never)");

	/** The names of the families, as exposed. */
	static final List<String> NAMES = Stream
		.of(WORKER_STATE, WORKERS, WORKERS_ELSEWHERE, WORKERS_COUNTED_ELSEWHERE, WORKER_INFO, LAST_SEEN, CONNECTED, STATE_SINCE, BUILDS, HOST_FAILURE_RATIO, STUCK_BUILDS,
				CLASS_WORKERS, SOURCE_UP, SOURCE_LAST_SUCCESS)
		.map(MetricMetadata::getPrometheusName)
		.toList();

	/** Each worker's series from the last set, by master and worker name: kept while they show the same (most do). */
	private Map<List<String>, WorkerSeries> series = Map.of();

	/**
	 * The families of the current set with the data points each was built from, in the order added: a family whose
	 * points are all the same in the next set is kept as it is (not sorted, validated or written out again).
	 */
	private Map<String, Family> families = Map.of();

	private final boolean sameWorkerAcrossMasters;

	/**
	 * @param sameWorkerAcrossMasters {@code fleet-health.classification.same-worker-across-masters}: whether one name
	 * on several watched masters is one worker, counted once ({@link WorkerHomes})
	 */
	FleetSnapshots(boolean sameWorkerAcrossMasters) {
		this.sameWorkerAcrossMasters = sameWorkerAcrossMasters;
	}

	FleetSnapshots() {
		this(true);
	}

	/**
	 * The set of every master's reports. A worker whose report shows the same as in the last set keeps its data points
	 * ({@link WorkerSeries}); a family whose points are all the same is kept as it was.
	 *
	 * @param byMaster each master's latest reports
	 * @param masters the poll state of every master, for {@code fleet_source_*}
	 * @param watched the masters configured now (others are left out)
	 */
	MetricSnapshots build(Map<String, List<WorkerReport>> byMaster, List<MasterStatus> masters, List<String> watched) {
		Map<List<String>, WorkerSeries> nextSeries = new HashMap<>();
		Gauge state = new Gauge(WORKER_STATE);
		Gauge counts = new Gauge(WORKERS);
		Gauge elsewhere = new Gauge(WORKERS_ELSEWHERE);
		Gauge countedElsewhere = new Gauge(WORKERS_COUNTED_ELSEWHERE);
		WorkerHomes homes = WorkerHomes.of(byMaster, watched, this.sameWorkerAcrossMasters);
		List<InfoDataPointSnapshot> info = new ArrayList<>();
		Gauge seen = new Gauge(LAST_SEEN);
		Gauge since = new Gauge(STATE_SINCE);
		Gauge connected = new Gauge(CONNECTED);
		Gauge outcome = new Gauge(BUILDS);
		Gauge ratio = new Gauge(HOST_FAILURE_RATIO);
		Gauge stuck = new Gauge(STUCK_BUILDS);
		Gauge classes = new Gauge(CLASS_WORKERS);
		Gauge up = new Gauge(SOURCE_UP);
		Gauge lastSuccess = new Gauge(SOURCE_LAST_SUCCESS);
		for (MasterStatus master : masters) {
			if (!watched.contains(master.name())) {
				continue;
			}
			Labels labels = Labels.of("master", master.name());
			up.add(labels, master.up() ? 1 : 0);
			lastSuccess.add(labels,
					(master.lastSuccessAt() != null) ? master.lastSuccessAt().toEpochMilli() / 1000.0 : 0);
		}
		// Masters and workers in name order, states and outcomes in label order: the order a family is sorted in.
		new TreeMap<>(byMaster).forEach((master, unsorted) -> {
			List<WorkerReport> reports = new ArrayList<>(unsorted);
			reports.sort(Comparator.comparing(WorkerReport::name));
			List<WorkerSeries> workers = new ArrayList<>(reports.size());
			int[] perState = new int[STATE_COUNT];
			int[] awayPerState = new int[STATE_COUNT];
			int[] countedAwayPerState = new int[STATE_COUNT];
			Map<String, int[]> perClass = new TreeMap<>();
			for (WorkerReport w : reports) {
				List<String> key = List.of(master, w.name());
				WorkerSeries s = WorkerSeries.of(this.series.get(key), master, w);
				nextSeries.put(key, s);
				workers.add(s);
				perState[w.state().ordinal()]++;
				// One connected to another watched master under the same name serves its classes there, where it
				// is counted: its idle copy here reads healthy and made a class with every worker broken look covered.
				boolean away = !w.connected() && !w.connectedElsewhere().isEmpty();
				awayPerState[w.state().ordinal()] += away ? 1 : 0;
				countedAwayPerState[w.state().ordinal()] += homes.countedElsewhere(master, w) ? 1 : 0;
				for (String c : away ? Set.<String>of() : w.classes()) {
					perClass.computeIfAbsent(c, (k) -> new int[STATE_COUNT])[w.state().ordinal()]++;
				}
			}
			for (int i = 0; i < WorkerSeries.STATES.length; i++) {
				for (WorkerSeries s : workers) {
					state.add(s.states()[i]);
				}
			}
			for (int i = 0; i < WorkerSeries.OUTCOMES.length; i++) {
				for (WorkerSeries s : workers) {
					outcome.add(s.outcomes()[i]);
				}
			}
			for (WorkerSeries s : workers) {
				info.add(s.info());
				if (s.seen() != null) {
					seen.add(s.seen());
				}
				since.add(s.since());
				connected.add(s.connected());
				ratio.add(s.ratio());
				stuck.add(s.stuck());
			}
			for (WorkerState s : WorkerSeries.STATES) {
				Labels labels = Labels.of("master", master, "state", s.label());
				counts.add(labels, perState[s.ordinal()]);
				elsewhere.add(labels, awayPerState[s.ordinal()]);
				countedElsewhere.add(labels, countedAwayPerState[s.ordinal()]);
			}
			perClass.forEach((c, byState) -> {
				for (WorkerState s : WorkerSeries.STATES) {
					classes.add(Labels.of("master", master, "class", c, "state", s.label()), byState[s.ordinal()]);
				}
			});
		});
		this.series = nextSeries;
		// Constructing the snapshots sorts and validates every data point: here, once, not per scrape, and only for
		// the families that changed.
		Map<String, Family> next = new HashMap<>();
		List<MetricSnapshot> all = new ArrayList<>();
		Stream.of(state, counts, elsewhere, countedElsewhere, seen, connected, since, outcome, ratio, stuck, classes, up, lastSuccess)
			.filter((g) -> !g.points.isEmpty())
			.forEach((g) -> all.add(family(next, g.metadata.getPrometheusName(), g.points,
					() -> new GaugeSnapshot(g.metadata, g.points))));
		if (!info.isEmpty()) {
			all.add(family(next, WORKER_INFO.getPrometheusName(), info, () -> new InfoSnapshot(WORKER_INFO, info)));
		}
		this.families = next;
		return new MetricSnapshots(all);
	}

	/** The family's last snapshot while its points are the same, else a new one; kept in {@code next}. */
	private MetricSnapshot family(Map<String, Family> next, String name, List<? extends DataPointSnapshot> points,
			Supplier<MetricSnapshot> build) {
		Family last = this.families.get(name);
		Family family = (last != null && Family.same(last.points(), points)) ? last
				: new Family(List.copyOf(points), build.get());
		next.put(name, family);
		return family.snapshot();
	}

	/** One family of the set and the points it was built from, in the order added. */
	private record Family(List<? extends DataPointSnapshot> points, MetricSnapshot snapshot) {

		static boolean same(List<? extends DataPointSnapshot> a, List<? extends DataPointSnapshot> b) {
			if (a.size() != b.size()) {
				return false;
			}
			for (int i = 0; i < a.size(); i++) {
				DataPointSnapshot x = a.get(i);
				DataPointSnapshot y = b.get(i);
				if (x == y) {
					continue; // a worker's point kept from the last set
				}
				if (x.getLabels() != y.getLabels() && !x.getLabels().equals(y.getLabels())) {
					return false;
				}
				if (x instanceof GaugeDataPointSnapshot gx && y instanceof GaugeDataPointSnapshot gy
						&& Double.compare(gx.getValue(), gy.getValue()) != 0) {
					return false;
				}
			}
			return true;
		}

	}

	/** The data points of one gauge being built. */
	private static final class Gauge {

		private final MetricMetadata metadata;

		private final List<GaugeDataPointSnapshot> points = new ArrayList<>();

		Gauge(MetricMetadata metadata) {
			this.metadata = metadata;
		}

		void add(Labels labels, double value) {
			this.points.add(new GaugeDataPointSnapshot(value, labels, null));
		}

		void add(GaugeDataPointSnapshot point) {
			this.points.add(point);
		}

	}

}
