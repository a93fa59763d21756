package org.fleethealth.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.system.ClusterProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * In clustered mode only the instance that ran a poll classifies; the others reload the stored state on a
 * node-local schedule, so every instance's metrics and pages show the fleet, not what it last polled.
 */
@Component
@ConditionalOnProperty(name = "fleet-health.cluster.enabled", havingValue = "true")
class SnapshotRefresh {

	private static final Log logger = LogFactory.getLog(SnapshotRefresh.class);

	private final FleetQueries fleet;

	private final WorkerReports reports;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final Duration interval;

	private final Map<String, Instant> lastPublished = new ConcurrentHashMap<>();

	SnapshotRefresh(FleetQueries fleet, WorkerReports reports, ApplicationEventPublisher events, Clock clock,
			ClusterProperties cluster) {
		this.fleet = fleet;
		this.reports = reports;
		this.events = events;
		this.clock = clock;
		this.interval = cluster.refreshInterval();
	}

	@EventListener
	void onClassified(WorkersClassified classified) {
		this.lastPublished.put(classified.master(), this.clock.instant());
	}

	@Scheduled(fixedDelayString = "${fleet-health.cluster.refresh-interval:PT30S}",
			initialDelayString = "${fleet-health.cluster.refresh-interval:PT30S}")
	void refresh() {
		Instant now = this.clock.instant();
		for (String master : this.fleet.masterNames()) {
			Instant last = this.lastPublished.get(master);
			if (last != null && Duration.between(last, now).compareTo(this.interval) < 0) {
				continue;
			}
			try {
				List<WorkerReport> workers = this.reports.workers(master);
				this.events.publishEvent(new WorkersClassified(master, workers, false));
			}
			catch (RuntimeException ex) {
				logger.warn("Reloading the state of master '" + master + "' failed: " + ex.getMessage());
			}
		}
	}

}
