package org.fleethealth.fleet.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.fleet.PollProperties;
import org.fleethealth.source.FleetSource;
import org.fleethealth.source.SourceException;
import org.fleethealth.source.SourceStep;
import org.springframework.stereotype.Component;

/**
 * What a workers poll reads from a master and stores: the workers (the heartbeat), and, optionally, the master
 * processes, the build requests waiting for a worker, and the activity of builds running on workers listed as
 * disconnected.
 */
@Component
public class WorkerReads {

	private static final Log logger = LogFactory.getLog(WorkerReads.class);

	// Running builds of disconnected workers whose steps one workers poll reads at most.
	private static final int ACTIVITY_READS = 20;

	private final WorkerStore store;

	private final MasterStore masterStore;

	private final PollProperties properties;

	private final Clock clock;

	private final LiveStreams streams;

	// Masters whose /api/v2/masters could not be read, so that is logged once, not every minute.
	private final Set<String> mastersUnreadable = ConcurrentHashMap.newKeySet();

	private final Set<String> requestsUnreadable = ConcurrentHashMap.newKeySet();

	WorkerReads(WorkerStore store, MasterStore masterStore, PollProperties properties, Clock clock,
			LiveStreams streams) {
		this.store = store;
		this.streams = streams;
		this.masterStore = masterStore;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Reads and stores the workers of a master, then what else a workers poll reads.
	 *
	 * @throws SourceException when the master does not answer, or answers with a list not to be trusted (nobody
	 * configured while workers are)
	 */
	public void read(FleetSource source) {
			var workers = source.workers();
			boolean anyConfigured = workers.stream()
				.anyMatch((w) -> w.connected() || !w.configuredBuilderIds().isEmpty());
			if (!anyConfigured) {
				long known = this.store.configuredWorkers(source.masterName());
				if (known > 0) {
					// A master that suddenly lists nobody, or nobody as configured, is broken or shutting
					// down (Buildbot unlinks builders from a master that stops); believing it would
					// unconfigure the whole fleet.
					throw new SourceException("master '" + source.masterName() + "' listed "
							+ (workers.isEmpty() ? "no workers" : "no configured workers") + " while " + known
							+ " are configured; the answer is not trusted");
				}
			}
			this.store.saveWorkers(source.masterName(), workers, this.clock.instant());
			readBesidesWorkers(source);
	}

	/**
	 * What a workers poll reads besides the workers list, each part optional: the master processes' heartbeats, the
	 * build requests waiting for a worker, and the steps of builds still running on disconnected workers.
	 */
	private void readBesidesWorkers(FleetSource source) {
		readMasters(source);
		readWaitingRequests(source);
		readActivity(source);
	}

	/**
	 * What a workers poll of a master heard live reads, every time, instead of the workers list (which it reads
	 * every {@code reconcile-interval}): the stream carries neither waiting build requests nor the steps of running
	 * builds. The master processes too, where the API has several: one of them can restart unheard while another
	 * serves the stream. Where it has one, that process serves the stream, which drops when it stops; the
	 * reconciliation that follows reads them.
	 */
	public void readHeardLive(FleetSource source) {
		if (this.masterStore.processes(source.masterName()) > 1) {
			readMasters(source);
		}
		readWaitingRequests(source);
		readActivity(source);
	}

	/**
	 * Reads the build requests that wait for a worker (the oldest, bounded): a latent worker is missing only when
	 * work waits for it, and a connected worker that starts none of it is unresponsive. Optional, like the masters.
	 */
	private void readWaitingRequests(FleetSource source) {
		try {
			this.store.saveWaitingRequests(source.masterName(),
					source.waitingBuildRequests(this.properties.maxWaitingRequests()), this.clock.instant());
		}
		catch (SourceException ex) {
			if (noAnswer(source, "waiting build requests", ex)) {
				return;
			}
			if (this.requestsUnreadable.add(source.masterName())) {
				logger.warn("Master '" + source.masterName() + "' does not list its waiting build requests, so latent"
						+ " and unresponsive workers are not judged there: " + ex.getMessage());
			}
		}
	}

	/**
	 * A worker listed as disconnected whose running build still finishes steps is not gone: reads the steps of such
	 * builds (a few a poll) and records the last one that finished after the disconnect.
	 */
	private void readActivity(FleetSource source) {
		String master = source.masterName();
		Instant horizon = this.clock.instant().minus(this.properties.lookback());
		for (WorkerStore.RunningOnDisconnected running : this.store.runningOnDisconnected(master, horizon,
				ACTIVITY_READS)) {
			try {
				source.steps(running.buildId())
					.stream()
					.map(SourceStep::completeAt)
					.filter((at) -> at != null && at.isAfter(running.disconnectedAt()))
					.max(Instant::compareTo)
					.ifPresent((at) -> this.store.recordActivity(master, running.workerId(), at));
			}
			catch (SourceException ex) {
				logger.debug("Reading the steps of running build " + running.buildId() + " of master '" + master
						+ "' failed: " + ex.getMessage());
				return;
			}
		}
	}

	/**
	 * Reads the master processes' heartbeats, which show a restart that fell between two polls. Optional: a
	 * master that will not list them (an old version, a proxy that allows only some paths) is still polled, and
	 * said so once.
	 */
	private void readMasters(FleetSource source) {
		try {
			this.masterStore.saveSourceMasters(source.masterName(), source.masters(), this.clock.instant(),
					this.streams.wentDown(source.masterName()).orElse(null));
		}
		catch (SourceException ex) {
			if (noAnswer(source, "master processes", ex)) {
				return;
			}
			if (this.mastersUnreadable.add(source.masterName())) {
				logger.warn("Master '" + source.masterName() + "' does not list its master processes, so restarts"
						+ " between two polls are not seen there (outages still are): " + ex.getMessage());
			}
		}
	}

	/**
	 * Whether the read failed because the master did not answer at all (refused, reset, timed out): that says
	 * nothing about what it lists, and the poll's own failure, or its stream going down, says that it is away.
	 */
	private static boolean noAnswer(FleetSource source, String what, SourceException ex) {
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException) {
				logger.debug("Master '" + source.masterName() + "' did not answer for its " + what + ": "
						+ ex.getMessage());
				return true;
			}
		}
		return false;
	}

}
