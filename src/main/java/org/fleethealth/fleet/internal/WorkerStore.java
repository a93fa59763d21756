package org.fleethealth.fleet.internal;

import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.fleethealth.fleet.MasterInterruption;
import org.fleethealth.fleet.PollProperties;
import org.fleethealth.fleet.WorkerChange;
import org.fleethealth.source.SourceBuildRequest;
import org.fleethealth.source.SourceWorker;
import org.fleethealth.system.MasterLocks;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes what a workers poll saw: the workers with their connects, disconnects and pauses, the build requests
 * waiting for them, and the activity of builds running on workers listed as disconnected. Each method is one
 * transaction, so a poll that fails half-way leaves the last complete picture as it was.
 */
@Component
class WorkerStore {

	private final Workers workers;

	private final Transitions transitions;

	private final MasterStates masters;

	private final SourceMasterStates sourceMasters;

	private final MasterEvents events;

	private final Builds builds;

	private final JdbcTemplate jdbc;

	private final Duration unconfiguredAfter;

	private final Truncations truncations = new Truncations();

	private final MasterLocks locks;

	private final Builders builders;

	WorkerStore(Workers workers, Transitions transitions, MasterStates masters, SourceMasterStates sourceMasters,
			MasterEvents events, Builds builds, JdbcTemplate jdbc, PollProperties poll, MasterLocks locks,
			Builders builders) {
		this.locks = locks;
		this.builders = builders;
		this.workers = workers;
		this.transitions = transitions;
		this.masters = masters;
		this.sourceMasters = sourceMasters;
		this.events = events;
		this.builds = builds;
		this.jdbc = jdbc;
		this.unconfiguredAfter = poll.unconfiguredAfter();
	}

	@Transactional
	public void saveWorkers(String master, List<SourceWorker> seen, Instant now) {
		// Another instance may store the same list (both reconcile when their streams come up): one at a time, each
		// comparing with what the other stored, or a disconnect is recorded twice.
		this.locks.lock(MasterLocks.WORKERS, master);
		Map<String, Worker> known = this.workers.findByMaster(master)
			.stream()
			.collect(Collectors.toMap(Worker::getName, Function.identity()));
		Instant previousPoll = this.masters.findByName(master).map(MasterState::getWorkersPolledAt).orElse(null);
		int connectedBefore = (int) known.values().stream().filter(Worker::isConnected).count();
		Set<Long> inactive = this.sourceMasters.findByMaster(master)
			.stream()
			.filter((m) -> !m.isActive())
			.map(SourceMasterState::getBuildbotId)
			.collect(Collectors.toSet());
		int dropped = 0;
		boolean relinked = false;
		List<Worker> renumbered = new ArrayList<>();
		for (SourceWorker reported : seen) {
			if (this.truncations.tooLong(master, "a worker", reported.name(), Worker.MAX_NAME)) {
				continue;
			}
			SourceWorker observed = fitted(master, reported);
			Worker worker = known.remove(observed.name());
			if (worker == null) {
				worker = new Worker(master, observed.name(), now);
			}
			boolean sameId = worker.getId() != null && worker.getBuildbotId() == observed.id();
			String linkedBefore = worker.linkedBuilders();
			Worker.Transition transition = worker.observe(observed, now, previousPoll, this.unconfiguredAfter,
					inactive);
			relinked |= !Objects.equals(worker.linkedBuilders(), linkedBefore);
			Worker.Pause pause = worker.observePause(observed, now);
			if (worker.getId() == null) {
				// Known workers are managed: changes are written at the end, unchanged ones not at all. A merge
				// of each of them (what save() does) was most of a heartbeat's time at 10,000 workers.
				worker = this.workers.save(worker);
			}
			if (!sameId) {
				renumbered.add(worker);
			}
			record(worker, transition, now);
			record(worker, pause, observed.pauseReason(), now);
			dropped += (transition == Worker.Transition.DISCONNECTED) ? 1 : 0;
		}
		lastFinishedFromHistory(master, renumbered);
		for (Worker gone : known.values()) {
			boolean wasConnected = gone.isConnected();
			String linkedBefore = gone.linkedBuilders();
			gone.vanished(now, previousPoll);
			relinked |= !Objects.equals(gone.linkedBuilders(), linkedBefore);
			if (wasConnected) {
				record(gone, Worker.Transition.DISCONNECTED, now);
				dropped++;
			}
		}
		if (relinked) {
			currentBuilders(master);
		}
		if (dropped >= 2) {
			// Several at one poll: whether that is the master's doing (a restart, a network cut) is the
			// classification's to judge, with the numbers.
			this.events.save(new MasterEvent(master, MasterInterruption.Kind.DISCONNECTS,
					(previousPoll != null) ? previousPoll : now, now,
					dropped + " of " + connectedBefore + " connected workers disconnected at one poll")
				.affecting(dropped, connectedBefore));
		}
	}

	/**
	 * Marks the master's builders that a configured worker serves as current, the others not, as a builders read
	 * does ({@link BuildStore#saveBuilders}): a reconfiguration that takes builders away from their workers is seen
	 * by the workers read first, and a builder taken out of the configuration kept blocking the release gate ("no
	 * worker is configured for it") until the next builders read, `reconcile-interval` later for a master heard live.
	 */
	private void currentBuilders(String master) {
		this.workers.flush();
		Set<Long> current = new HashSet<>();
		this.workers.configuredBuilderIds(master).forEach((ids) -> current.addAll(Worker.builderIds(ids)));
		this.builders.findByMaster(master).forEach((b) -> b.current(current.contains(b.getBuildbotId())));
	}

	/** The worker with its free text cut to the columns' bounds (logged once per worker and field). */
	SourceWorker fitted(String master, SourceWorker w) {
		String who = "worker '" + w.name() + "' ";
		return new SourceWorker(w.id(), w.name(), w.connected(), w.configuredBuilderIds(),
				this.truncations.fit(master, who + "info/admin", w.admin(), Worker.MAX_ADMIN),
				this.truncations.fit(master, who + "info/host", w.host(), Worker.MAX_HOST),
				this.truncations.fit(master, who + "version", w.version(), Worker.MAX_VERSION), w.paused(),
				this.truncations.fit(master, who + "pause_reason", w.pauseReason(), Worker.MAX_PAUSE_REASON),
				w.connectedTo(), w.configuredOn());
	}

	/**
	 * A worker new to fleet-health (or given a new id by its master) may have builds stored already, by a builds
	 * poll that ran first: read its "last build finished" from the history, once.
	 */
	private void lastFinishedFromHistory(String master, List<Worker> workers) {
		if (workers.isEmpty()) {
			return;
		}
		this.workers.flush();
		Map<Long, Instant> last = Sql.byId(this.builds.lastCompletedByWorker(master));
		this.jdbc.batchUpdate("update worker set last_build_finished_at = ? where id = ?", workers, Sql.BATCH,
				(ps, w) -> {
					ps.setObject(1, Sql.timestamp(last.get(w.getBuildbotId())), Types.TIMESTAMP_WITH_TIMEZONE);
					ps.setLong(2, w.getId());
				});
	}

	void record(Worker worker, Worker.Transition transition, Instant now) {
		if (transition != Worker.Transition.NONE) {
			this.transitions.save(new WorkerTransition(worker.getId(), (transition == Worker.Transition.CONNECTED)
					? WorkerChange.Kind.CONNECTED : WorkerChange.Kind.DISCONNECTED, now, null));
		}
	}

	/** Every pause and unpause, by anyone, goes into the worker's history. */
	void record(Worker worker, Worker.Pause pause, String reason, Instant now) {
		if (pause != Worker.Pause.NONE) {
			this.transitions.save(new WorkerTransition(worker.getId(),
					(pause == Worker.Pause.PAUSED) ? WorkerChange.Kind.PAUSED : WorkerChange.Kind.UNPAUSED, now,
					(pause == Worker.Pause.PAUSED) ? reason : null));
		}
	}

	/**
	 * Replaces the build requests waiting for a worker, per builder: how many, and since when the oldest waits.
	 * {@code requests} are the oldest waiting ones, as many as one poll reads.
	 */
	@Transactional
	public void saveWaitingRequests(String master, List<SourceBuildRequest> requests, Instant now) {
		Map<Long, int[]> count = new HashMap<>();
		Map<Long, Instant> oldest = new HashMap<>();
		for (SourceBuildRequest r : requests) {
			count.computeIfAbsent(r.builderId(), (k) -> new int[1])[0]++;
			oldest.merge(r.builderId(), r.submittedAt(), (a, b) -> a.isBefore(b) ? a : b);
		}
		this.jdbc.update("delete from waiting_builder where master = ?", master);
		this.jdbc.batchUpdate("insert into waiting_builder (master, builder_buildbot_id, waiting, oldest_submitted_at,"
				+ " read_at) values (?, ?, ?, ?, ?)", new ArrayList<>(count.keySet()), Sql.BATCH, (ps, builder) -> {
					ps.setString(1, master);
					ps.setLong(2, builder);
					ps.setInt(3, count.get(builder)[0]);
					ps.setObject(4, Sql.timestamp(oldest.get(builder)), Types.TIMESTAMP_WITH_TIMEZONE);
					ps.setObject(5, Sql.timestamp(now), Types.TIMESTAMP_WITH_TIMEZONE);
				});
	}

	/** A running build of a worker that is listed as disconnected. */
	public record RunningOnDisconnected(long workerId, long buildId, Instant disconnectedAt) {
	}

	/** Running builds (started since {@code horizon}) of configured workers listed as disconnected, at most limit. */
	@Transactional(readOnly = true)
	public List<RunningOnDisconnected> runningOnDisconnected(String master, Instant horizon, int limit) {
		return this.jdbc.query("select w.buildbot_id, b.buildbot_id, w.disconnected_at from worker w join build b"
				+ " on b.master = w.master and b.worker_buildbot_id = w.buildbot_id where w.master = ? and"
				+ " w.configured = true and w.connected = false and w.disconnected_at is not null and b.complete = false"
				+ " and b.steps_fetched = false and b.started_at >= ? order by b.buildbot_id desc limit ?",
				(rs, i) -> new RunningOnDisconnected(rs.getLong(1), rs.getLong(2),
						rs.getObject(3, OffsetDateTime.class).toInstant()),
				master, Sql.timestamp(horizon), limit);
	}

	/**
	 * A disconnected worker's running build went on: a step finished at {@code at}, after the disconnect. Only
	 * forward.
	 */
	@Transactional
	public void recordActivity(String master, long workerBuildbotId, Instant at) {
		this.jdbc.update("update worker set last_activity_at = ? where master = ? and buildbot_id = ?"
				+ " and (last_activity_at is null or last_activity_at < ?)", Sql.timestamp(at), master,
				workerBuildbotId, Sql.timestamp(at));
	}

	/** Whether a worker's name is too long to store (said once per master and name). */
	boolean nameTooLong(String master, String name) {
		return this.truncations.tooLong(master, "a worker", name, Worker.MAX_NAME);
	}

	/** How long a worker listed as configured nowhere stays in the fleet ({@code poll.unconfigured-after}). */
	Duration unconfiguredAfter() {
		return this.unconfiguredAfter;
	}

	@Transactional(readOnly = true)
	public long configuredWorkers(String master) {
		return this.workers.findByMasterAndConfiguredTrueOrderByName(master).size();
	}

}
