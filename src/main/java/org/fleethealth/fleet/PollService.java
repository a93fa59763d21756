package org.fleethealth.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.fleet.internal.Build;
import org.fleethealth.fleet.internal.Builds;
import org.fleethealth.fleet.internal.FleetStore;
import org.fleethealth.fleet.internal.MasterState;
import org.fleethealth.fleet.internal.PollRuns;
import org.fleethealth.fleet.internal.PollState;
import org.fleethealth.source.BuildResult;
import org.fleethealth.source.FleetSource;
import org.fleethealth.source.FleetSources;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceException;
import org.fleethealth.source.SourceStep;
import org.fleethealth.system.Durations;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Polls every source: worker heartbeats, builders, builds by cursor, and the steps of failed builds. A
 * failing master is recorded (error, metric, back-off) and never touches what is stored about it.
 */
@Service
public class PollService {

	private static final Log logger = LogFactory.getLog(PollService.class);

	private final List<FleetSource> sources;

	private final FleetStore store;

	private final Builds builds;

	private final PollProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	private final ApplicationEventPublisher events;

	private final PollRuns runs;

	private final TransactionTemplate transactions;

	/** Per master, the last build seen running that the previous poll read again. */
	private final Map<String, Long> runningRead = new ConcurrentHashMap<>();

	// Masters whose /api/v2/masters could not be read, so that is logged once, not every minute.
	private final Set<String> mastersUnreadable = ConcurrentHashMap.newKeySet();

	private final Set<String> requestsUnreadable = ConcurrentHashMap.newKeySet();

	// Running builds of disconnected workers whose steps one workers poll reads at most.
	private static final int ACTIVITY_READS = 20;

	PollService(List<FleetSources> sources, FleetStore store, Builds builds, PollProperties properties,
			Clock clock, MeterRegistry meters, ApplicationEventPublisher events, PollRuns runs,
			TransactionTemplate transactions) {
		this.transactions = transactions;
		this.runs = runs;
		this.sources = sources.stream().flatMap((s) -> s.sources().stream()).toList();
		this.store = store;
		this.builds = builds;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
		this.events = events;
		// Export error and attempt counters from the start, so rates are defined before the first error.
		for (FleetSource source : this.sources) {
			for (PollKind kind : PollKind.values()) {
				errors(source.masterName(), kind);
				attempts(source.masterName(), kind);
			}
		}
	}

	/**
	 * Publishes {@link FleetPolled} per master in a transaction of its own: the event publication registry records
	 * the reactions with it, and they run after its commit, off this thread.
	 */
	private void announce(Set<String> masters, PollKind kind) {
		Instant at = this.clock.instant();
		this.transactions.executeWithoutResult(
				(status) -> masters.forEach((master) -> this.events.publishEvent(new FleetPolled(master, kind, at))));
	}

	/** Reads worker connection state from every master that is not backing off. */
	public void pollWorkers() {
		if (!this.runs.enter()) {
			return;
		}
		try {
			pollAllWorkers();
		}
		catch (RuntimeException ex) {
			if (!this.runs.stopping()) {
				throw ex;
			}
		}
		finally {
			this.runs.exit("workers");
		}
	}

	private void pollAllWorkers() {
		Set<String> polled = new LinkedHashSet<>();
		for (FleetSource source : this.sources) {
			polled.add(source.masterName());
			attempt(source, PollKind.WORKERS, this.properties.workersInterval(), () -> {
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
				readMasters(source);
				readWaitingRequests(source);
				readActivity(source);
			});
		}
		if (!this.runs.stopping()) {
			announce(polled, PollKind.WORKERS);
		}
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
		for (FleetStore.RunningOnDisconnected running : this.store.runningOnDisconnected(master, horizon,
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
			this.store.saveSourceMasters(source.masterName(), source.masters(), this.clock.instant());
		}
		catch (SourceException ex) {
			if (this.mastersUnreadable.add(source.masterName())) {
				logger.warn("Master '" + source.masterName() + "' does not list its master processes, so restarts"
						+ " between two polls are not seen there (outages still are): " + ex.getMessage());
			}
		}
	}

	/** Reads builders, new builds and the steps of failed builds from every master not backing off. */
	public void pollBuilds() {
		if (!this.runs.enter()) {
			return;
		}
		try {
			pollAllBuilds();
		}
		catch (RuntimeException ex) {
			if (!this.runs.stopping()) {
				throw ex;
			}
		}
		finally {
			this.runs.exit("builds");
		}
	}

	private void pollAllBuilds() {
		Set<String> polled = new LinkedHashSet<>();
		for (FleetSource source : this.sources) {
			polled.add(source.masterName());
			boolean ok = attempt(source, PollKind.BUILDERS, this.properties.buildsInterval(),
					() -> this.store.saveBuilders(source.masterName(), source.builders()));
			ok = ok && attempt(source, PollKind.BUILDS, this.properties.buildsInterval(), () -> readBuilds(source));
			if (ok) {
				attempt(source, PollKind.STEPS, this.properties.buildsInterval(), () -> readSteps(source));
			}
		}
		if (!this.runs.stopping()) {
			announce(polled, PollKind.BUILDS);
		}
	}

	private boolean attempt(FleetSource source, PollKind kind, Duration interval, Runnable poll) {
		if (this.runs.stopping()) {
			return false;
		}
		String master = source.masterName();
		Instant now = this.clock.instant();
		masterState(source);
		// Each kind backs off on its own: a failing builds request neither delays the heartbeat nor is reset by
		// the builders request that succeeds before it.
		PollState backoff = this.store.backoff(master, kind);
		int failures = (backoff != null) ? backoff.getConsecutiveFailures() : 0;
		if (backoff != null && backoff.getNextAttemptAt() != null && now.isBefore(backoff.getNextAttemptAt())) {
			logger.debug("Polling " + kind.label() + " of master '" + master + "' is backing off until "
					+ backoff.getNextAttemptAt());
			return false;
		}
		attempts(master, kind).increment();
		Timer.Sample sample = Timer.start(this.meters);
		try {
			poll.run();
			this.store.succeeded(master, kind, this.clock.instant());
			return true;
		}
		catch (RuntimeException ex) {
			if (this.runs.stopping()) {
				// Cut short by the stop, or failing as the service goes away: not the master's failure.
				return false;
			}
			Duration wait = backoff(interval, failures + 1);
			Instant at = this.clock.instant();
			String message = (ex instanceof SourceException) ? ex.getMessage()
					: ex.getClass().getSimpleName() + ": " + ex.getMessage();
			if (ex instanceof SourceException) {
				logger.warn("Polling " + kind.label() + " of master '" + master + "' failed (attempt "
						+ (failures + 1) + "; next try in " + wait + "): " + message);
			}
			else {
				logger.error("Polling " + kind.label() + " of master '" + master + "' failed unexpectedly", ex);
			}
			errors(master, kind).increment();
			this.store.failed(master, kind, message, at, at.plus(wait));
			return false;
		}
		finally {
			sample.stop(Timer.builder("fleet.poll.duration")
				.description("Time taken by one poll of a master")
				.tag("master", master)
				.tag("kind", kind.label())
				.register(this.meters));
		}
	}

	private Counter errors(String master, PollKind kind) {
		return Counter.builder("fleet.poll.errors")
			.description("Polls of a master that failed")
			.tag("master", master)
			.tag("kind", kind.label())
			.register(this.meters);
	}

	private Counter attempts(String master, PollKind kind) {
		return Counter.builder("fleet.poll.attempts")
			.description("Polls of a master that were attempted (not counting ones skipped while backing off)")
			.tag("master", master)
			.tag("kind", kind.label())
			.register(this.meters);
	}

	/** Both jobs may meet a new master at once; the unique name settles it, the loser reads the winner's row. */
	private synchronized MasterState masterState(FleetSource source) {
		try {
			return this.store.master(source.masterName(), source.url());
		}
		catch (DataIntegrityViolationException ex) {
			return this.store.master(source.masterName(), source.url());
		}
	}

	/** The first failure waits one interval, then each further failure doubles the wait up to the maximum. */
	Duration backoff(Duration interval, int failures) {
		return Durations.backoff(interval, failures, this.properties.backoffMax());
	}

	/**
	 * Reads the builds seen running last time and the new builds after the cursor, and stores them in one
	 * transaction: one commit, and each worker's and builder's latest builds moved once per poll rather than once
	 * per page (on H2 each row update copies a page of the table; bench/NOTES.md). If the master fails half-way,
	 * the pages read so far are stored with the cursor after them before the error goes on, so a master that
	 * keeps failing on a later page still makes progress.
	 */
	private void readBuilds(FleetSource source) {
		Instant now = this.clock.instant();
		Instant horizon = now.minus(this.properties.lookback());
		List<SourceBuild> read = new ArrayList<>(refreshRunning(source, horizon));
		Long cursor = masterState(source).getBuildCursor();
		if (cursor == null) {
			store(source, read, null);
			backfill(source, horizon);
			return;
		}
		Long readUpTo = cursor;
		try {
			for (int page = 0; page < this.properties.maxPagesPerPoll(); page++) {
				if (page > 0 && this.runs.stopping()) {
					// The service stops: the pages read so far are stored below, the rest waits for the next start.
					break;
				}
				// The first page starts at the build at the cursor: that the master still has it shows that its
				// database was not recreated, without a request of its own in the poll that finds nothing new.
				boolean anchored = page == 0 && cursor > 0;
				List<SourceBuild> builds = source.buildsAfter(anchored ? cursor - 1 : readUpTo,
						this.properties.pageSize());
				if (anchored && (builds.isEmpty() || builds.get(0).id() != cursor) && detectReset(source, cursor)) {
					// Nothing of this poll is stored: ids below the cursor now name other builds, and the next
					// poll reads the master again from scratch.
					return;
				}
				builds.stream().filter((b) -> b.id() > cursor).forEach(read::add);
				readUpTo = Math.max(readUpTo, builds.stream().mapToLong(SourceBuild::id).max().orElse(readUpTo));
				if (builds.size() < this.properties.pageSize()) {
					break;
				}
			}
		}
		catch (RuntimeException ex) {
			try {
				store(source, read, readUpTo);
			}
			catch (RuntimeException storing) {
				ex.addSuppressed(storing);
			}
			throw ex;
		}
		store(source, read, readUpTo);
	}

	private void store(FleetSource source, List<SourceBuild> builds, Long cursor) {
		if (!builds.isEmpty()) {
			this.store.saveBuilds(source.masterName(), builds, cursor);
		}
	}

	/** Reads newest-first until the lookback horizon, then sets the cursor to the newest build. */
	private void backfill(FleetSource source, Instant horizon) {
		List<SourceBuild> collected = new ArrayList<>();
		long before = Long.MAX_VALUE;
		long newest = 0;
		for (int page = 0; page < this.properties.maxPagesPerPoll(); page++) {
			if (page > 0 && this.runs.stopping()) {
				// Abandoned whole: the cursor stays unset, and the next start backfills again.
				return;
			}
			List<SourceBuild> builds = source.buildsBefore(before, this.properties.pageSize());
			boolean reachedHorizon = false;
			for (SourceBuild build : builds) {
				newest = Math.max(newest, build.id());
				before = Math.min(before, build.id());
				if (build.startedAt().isBefore(horizon)) {
					reachedHorizon = true;
				}
				else {
					collected.add(build);
				}
			}
			if (reachedHorizon || builds.size() < this.properties.pageSize()) {
				break;
			}
		}
		logger.info("Backfilled " + collected.size() + " builds of master '" + source.masterName()
				+ "' started since " + horizon);
		this.store.saveBuilds(source.masterName(), collected, newest);
	}

	/**
	 * Builds that were running when last read, as the master has them now: learn how they ended. One poll reads
	 * at most {@code max-running-refresh} of them, going on after the last one the previous poll read and then
	 * from the oldest again, so that builds stuck running (or gone from the master) never hide a newer one that
	 * ends. Where a poll stopped is kept in memory: after a restart the round starts again from the oldest.
	 */
	private List<SourceBuild> refreshRunning(FleetSource source, Instant horizon) {
		String master = source.masterName();
		int most = this.properties.maxRunningRefresh();
		long after = this.runningRead.getOrDefault(master, 0L);
		List<Long> ids = new ArrayList<>(this.builds.runningAfter(master, horizon, after, Limit.of(most)));
		if (ids.size() < most && after > 0) {
			this.builds.runningAfter(master, horizon, 0L, Limit.of(most - ids.size()))
				.stream()
				.filter((id) -> id <= after)
				.forEach(ids::add);
		}
		if (ids.isEmpty()) {
			this.runningRead.remove(master);
			return List.of();
		}
		List<SourceBuild> read = source.builds(ids);
		this.runningRead.put(master, ids.get(ids.size() - 1));
		return read;
	}

	/**
	 * A master whose database was recreated numbers builds from 1 again: start over rather than go blind. Asked
	 * only when the build at the cursor is gone; returns whether the cursor was reset.
	 */
	private boolean detectReset(FleetSource source, long cursor) {
		List<SourceBuild> newest = source.buildsBefore(Long.MAX_VALUE, 1);
		if (!newest.isEmpty() && newest.get(0).id() < cursor) {
			logger.warn("Master '" + source.masterName() + "' now numbers builds below the cursor " + cursor
					+ " (its database was reset?); backfilling again");
			this.store.resetCursor(source.masterName());
			return true;
		}
		return false;
	}

	/**
	 * Reads the steps of failed builds and stores their failing steps in one transaction. If the master fails
	 * half-way, what was read is stored before the error goes on: those builds are not asked for again.
	 */
	private void readSteps(FleetSource source) {
		Instant horizon = this.clock.instant().minus(this.properties.lookback());
		if (this.properties.maxStepFetches() == 0) {
			return;
		}
		List<Build> failed = this.builds.needingSteps(source.masterName(), horizon,
				Limit.of(this.properties.maxStepFetches()));
		Map<Long, String> failingSteps = new LinkedHashMap<>();
		try {
			for (Build build : failed) {
				if (this.runs.stopping()) {
					break;
				}
				failingSteps.put(build.getBuildbotId(), firstFailingStep(source.steps(build.getBuildbotId())));
			}
		}
		catch (RuntimeException ex) {
			try {
				this.store.saveFailingSteps(source.masterName(), failingSteps);
			}
			catch (RuntimeException storing) {
				ex.addSuppressed(storing);
			}
			throw ex;
		}
		this.store.saveFailingSteps(source.masterName(), failingSteps);
	}

	/** The first step that ended in failure, exception or retry; else the first that did not succeed. */
	static String firstFailingStep(List<SourceStep> steps) {
		for (SourceStep step : steps) {
			BuildResult r = BuildResult.of(step.results());
			if (r == BuildResult.FAILURE || r == BuildResult.EXCEPTION || r == BuildResult.RETRY) {
				return step.name();
			}
		}
		for (SourceStep step : steps) {
			Integer r = step.results();
			if (r != null && !BuildResult.passed(r) && !BuildResult.SKIPPED.is(r)) {
				return step.name();
			}
		}
		return null;
	}


	/** The configured masters' names, in configuration order. */
	public List<String> masterNames() {
		return this.sources.stream().map(FleetSource::masterName).toList();
	}

}
