package org.fleethealth.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.system.ClusterProperties;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes stored judgements as they are ({@link WorkersClassified} with {@code reclassified} false), for the
 * metrics and the release gate of an instance that did not just judge them:
 * <ul>
 * <li>at start, so a restart shows the fleet as it was judged rather than nothing, and no alert starts over;</li>
 * <li>in clustered mode, on a node-local schedule, since only the instance that ran a poll classifies.</li>
 * </ul>
 */
@Component
class SnapshotRefresh {

	private static final Log logger = LogFactory.getLog(SnapshotRefresh.class);

	private final FleetQueries fleet;

	private final WorkerReports reports;

	private final ClassificationRounds rounds;

	private final Classifications classifications;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final ClusterProperties cluster;

	private final Map<String, Instant> lastPublished = new ConcurrentHashMap<>();

	SnapshotRefresh(FleetQueries fleet, WorkerReports reports, ClassificationRounds rounds,
			Classifications classifications, ApplicationEventPublisher events, TransactionTemplate transactions,
			Clock clock, ClusterProperties cluster) {
		this.fleet = fleet;
		this.reports = reports;
		this.rounds = rounds;
		this.classifications = classifications;
		this.events = events;
		this.transactions = transactions;
		this.clock = clock;
		this.cluster = cluster;
	}

	@EventListener
	void onClassified(WorkersClassified classified) {
		this.lastPublished.put(classified.master(), this.clock.instant());
	}

	@EventListener(ApplicationReadyEvent.class)
	void onStart() {
		this.fleet.masterNames().forEach(this::reload);
	}

	@Scheduled(fixedDelayString = "${fleet-health.cluster.refresh-interval:PT30S}",
			initialDelayString = "${fleet-health.cluster.refresh-interval:PT30S}")
	void refresh() {
		if (!this.cluster.enabled()) {
			return;
		}
		Instant now = this.clock.instant();
		try {
			for (String master : this.fleet.masterNames()) {
				Instant last = this.lastPublished.get(master);
				if (last == null || Duration.between(last, now).compareTo(this.cluster.refreshInterval()) >= 0) {
					reload(master);
				}
			}
		}
		catch (CannotCreateTransactionException | DataAccessResourceFailureException ex) {
			// One line a refresh, not a stack trace every few seconds: health says DOWN already, and an hour's
			// outage filled 10 MB of log per instance.
			logger.warn("Reloading the stored judgements failed: the database cannot be reached ("
					+ ex.getClass().getSimpleName() + "); trying again in " + this.cluster.refreshInterval());
		}
	}

	/** Publishes the stored judgements of a master that was judged before; nothing for one never judged. */
	void reload(String master) {
		try {
			this.transactions.executeWithoutResult((status) -> this.rounds.findById(master).ifPresent((round) -> {
				this.classifications.hold(
						new Classification(master, round.getClassifiedAt(), this.reports.workers(master)));
				this.events.publishEvent(new WorkersClassified(master, round.getClassifiedAt(), false));
			}));
		}
		catch (RuntimeException ex) {
			logger.warn("Reloading the judgements of master '" + master + "' failed: " + ex.getMessage());
		}
	}

}
