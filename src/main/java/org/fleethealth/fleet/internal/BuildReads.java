package org.fleethealth.fleet.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.fleet.BuildHistoryNeed;
import org.fleethealth.fleet.PollProperties;
import org.fleethealth.source.BuildResult;
import org.fleethealth.source.FleetSource;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceStep;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Component;

/**
 * What a builds poll reads from a master and stores: the builds seen running last time, the new builds after the
 * cursor (or a backfill back to {@code lookback} for a master read for the first time), and the steps of failed
 * builds. Throws what the master threw, after storing what was read before it.
 */
@Component
public class BuildReads {

	private static final Log logger = LogFactory.getLog(BuildReads.class);

	private final BuildStore store;

	private final Builds builds;

	private final MasterStates masters;

	private final PollProperties properties;

	private final Clock clock;

	private final PollRuns runs;

	private final ObjectProvider<BuildHistoryNeed> needs;

	/** Masters backfilled by this instance whose failed builds' steps are not all read yet. */
	private final Set<String> stepsBacklog = ConcurrentHashMap.newKeySet();

	/** Per master, the last build seen running that the previous poll read again. */
	private final Map<String, Long> runningRead = new ConcurrentHashMap<>();

	BuildReads(BuildStore store, Builds builds, MasterStates masters, PollProperties properties, Clock clock,
			PollRuns runs, ObjectProvider<BuildHistoryNeed> needs) {
		this.store = store;
		this.builds = builds;
		this.masters = masters;
		this.properties = properties;
		this.clock = clock;
		this.runs = runs;
		this.needs = needs;
	}

	/**
	 * Reads the builds seen running last time and the new builds after the cursor, and stores them in one
	 * transaction: one commit, and each worker's and builder's latest builds moved once per poll rather than once
	 * per page (on H2 each row update copies a page of the table; bench/NOTES.md). If the master fails half-way,
	 * the pages read so far are stored with the cursor after them before the error goes on, so a master that
	 * keeps failing on a later page still makes progress.
	 */
	public void read(FleetSource source) {
		Instant now = this.clock.instant();
		Instant horizon = now.minus(this.properties.lookback());
		List<SourceBuild> read = new ArrayList<>(refreshRunning(source, horizon));
		Long cursor = this.masters.findByName(source.masterName()).map(MasterState::getBuildCursor).orElse(null);
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

	/**
	 * Reads newest-first until the lookback horizon, at most {@code max-backfill-pages} pages, then sets the cursor
	 * to the newest build. Older builds are never read later: where the cap stops it first, it says so.
	 */
	private void backfill(FleetSource source, Instant horizon) {
		List<SourceBuild> collected = new ArrayList<>();
		long before = Long.MAX_VALUE;
		long newest = 0;
		boolean complete = false;
		Instant oldest = null;
		for (int page = 0; page < this.properties.maxBackfillPages(); page++) {
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
					oldest = (oldest == null || build.startedAt().isBefore(oldest)) ? build.startedAt() : oldest;
				}
			}
			if (reachedHorizon || builds.size() < this.properties.pageSize()) {
				complete = true;
				break;
			}
		}
		if (complete || oldest == null) {
			logger.info("Backfilled " + collected.size() + " builds of master '" + source.masterName()
					+ "' started since " + horizon);
		}
		else {
			BackfillReport report = new BackfillReport(source.masterName(), collected.size(), oldest, horizon,
					this.clock.instant(), this.properties.maxBackfillPages(), this.properties.pageSize());
			List<BuildHistoryNeed> needs = this.needs.orderedStream().toList();
			if (report.cutShort(needs).isEmpty()) {
				logger.info(report.text(needs));
			}
			else {
				logger.warn(report.text(needs));
			}
		}
		this.store.saveBuilds(source.masterName(), collected, newest);
		this.stepsBacklog.add(source.masterName());
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
	public void readSteps(FleetSource source) {
		Instant horizon = this.clock.instant().minus(this.properties.lookback());
		if (this.properties.maxStepFetches() == 0) {
			return;
		}
		boolean backlog = this.stepsBacklog.contains(source.masterName());
		int most = backlog ? Math.max(this.properties.maxStepFetches(), this.properties.maxStepFetchesFirstSync())
				: this.properties.maxStepFetches();
		List<Build> failed = this.builds.needingSteps(source.masterName(), horizon, Limit.of(most));
		if (failed.size() < most) {
			this.stepsBacklog.remove(source.masterName());
		}
		else if (backlog) {
			// Counted only while the backlog lasts: a first sync's log says how far it has got.
			long left = this.builds.countNeedingSteps(source.masterName(), horizon);
			logger.info("Master '" + source.masterName() + "': reading the failing steps of " + most + " of the "
					+ left + " failed builds of its first sync whose steps are not read yet"
					+ " (max-step-fetches-first-sync a poll), newest first");
		}
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

}
