package org.fleethealth.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.fleethealth.fleet.FleetHeard;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.health.Classification;
import org.fleethealth.health.ClassificationProperties;
import org.fleethealth.health.Classifications;
import org.fleethealth.health.RoundLock;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkersClassified;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Publishes the fleet's state as gauges. State sets follow kube-state-metrics: one series per state, exactly
 * one at 1, zeros always exported; fixed properties live in {@code fleet_worker_info}. Label values are
 * bounded: masters, workers, build classes, states and outcomes only.
 * <p>
 * About 13 series per worker: through Micrometer a scrape cost 4 to 8 µs per series (bench/NOTES.md), so this
 * is a Prometheus {@link MultiCollector} instead. The snapshots are built, sorted and validated once per
 * classification and swapped in whole; a scrape only writes them out.
 */
@Component
class FleetMetrics implements MultiCollector {

	private final FleetQueries fleet;

	private final Classifications classifications;

	private final RoundLock roundLock;

	private final boolean exported;

	/** The latest reports of each master; replaced, never changed, under the lock of {@code this}. */
	private Map<String, List<WorkerReport>> reports = Map.of();

	/** Builds each new set from the last one; used under the lock of {@code this}. */
	private final FleetSnapshots builder;

	/** The current set as written by each writer asked for it ({@link FleetScrapeWebExtension}). */
	private final FleetExposition exposition = new FleetExposition();

	/** What a scrape returns: one immutable, complete set, replaced in one volatile write. */
	private volatile MetricSnapshots snapshots = new MetricSnapshots();

	/**
	 * Without a {@link PrometheusRegistry} bean (Prometheus export disabled, or a test slice without it) the
	 * service runs without the fleet gauges: nothing is built and nothing is exported. They were never meant
	 * for other Micrometer registries, and {@code /actuator/prometheus} is then gone as well.
	 */
	FleetMetrics(ObjectProvider<PrometheusRegistry> registry, FleetQueries fleet, Classifications classifications,
			RoundLock roundLock, ClassificationProperties classification) {
		this.builder = new FleetSnapshots(classification.sameWorkerAcrossMasters());
		this.roundLock = roundLock;
		this.fleet = fleet;
		this.classifications = classifications;
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

	/** Declared so that the registry refuses another collector of the same names, and can skip this one. */
	@Override
	public List<String> getPrometheusNames() {
		return FleetSnapshots.NAMES;
	}

	/**
	 * After the classification committed, off the poll thread, once no round or other reaction of its size runs
	 * ({@link RoundLock}); the reads it makes open their own read-only transactions, so nothing holds a connection
	 * while it waits.
	 */
	@Async
	@TransactionalEventListener
	void onClassified(WorkersClassified classified) {
		this.roundLock.reaction(() -> update(this.classifications.of(classified)));
	}

	/**
	 * A connect or disconnect heard live shows at once ({@code fleet_worker_connected}, the last-seen time), without
	 * waiting for the round that judges it: at 10,000 workers that round takes a second or more. The round's
	 * reports then replace the master's set as always.
	 */
	@ApplicationModuleListener(readOnlyTransaction = true)
	@Order(Ordered.HIGHEST_PRECEDENCE) // before the judgement, where listeners run one after the other
	void onHeard(FleetHeard heard) {
		if (!this.exported || heard.connections().isEmpty()) {
			return;
		}
		Map<String, FleetHeard.Connection> byName = new HashMap<>();
		heard.connections().forEach((c) -> byName.put(c.worker(), c));
		synchronized (this) {
			List<WorkerReport> current = this.reports.get(heard.master());
			if (current == null) {
				return;
			}
			replace(heard.master(), current.stream().map((w) -> {
				FleetHeard.Connection c = byName.get(w.name());
				return (c != null) ? w.withConnection(c.connected(), c.at()) : w;
			}).toList());
		}
		// Written out by the next scrape, not now: a master heard live sends batches several times a second, and at
		// 10,000 workers each write is about 16 MB.
	}

	/** Replaces the set of a master with a classification's reports. */
	void update(Classification classified) {
		if (!this.exported) {
			return;
		}
		synchronized (this) {
			replace(classified.master(), classified.workers());
		}
		// Write the new set out now, before any scrape asks, in the formats being scraped: the next scrape then
		// only copies bytes.
		this.exposition.prepare(this.snapshots);
	}

	/** Under the lock of {@code this}. */
	private void replace(String master, List<WorkerReport> workers) {
		Map<String, List<WorkerReport>> next = new HashMap<>(this.reports);
		next.put(master, List.copyOf(workers));
		// Built before anything is replaced: a set that fails to build leaves the previous one intact.
		this.snapshots = this.builder.build(next, this.fleet.masters(), this.fleet.masterNames());
		this.reports = next;
	}

	/** Whether {@code name} (a Prometheus metric name) is one of the fleet families. */
	boolean owns(String name) {
		return FleetSnapshots.NAMES.contains(name);
	}

	/**
	 * The fleet families of the current set as the writer writes them, without a terminating {@code # EOF} line
	 * ({@link FleetExposition}).
	 */
	List<FleetExposition.Chunk> render(ExpositionFormatWriter writer) {
		return this.exposition.of(writer, this.snapshots);
	}

}
