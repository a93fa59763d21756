package org.fleethealth.fleet.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.fleethealth.fleet.MasterInterruption;
import org.fleethealth.fleet.PollKind;
import org.fleethealth.fleet.PollProperties;
import org.fleethealth.fleet.WorkerChange;
import org.fleethealth.source.BuildResult;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuildRequest;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceMaster;
import org.fleethealth.source.SourceWorker;
import org.fleethealth.system.Durations;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes what one poll saw. Each method is one transaction, so a poll that fails half-way leaves the last
 * complete picture (and the build cursor) as it was: nothing is wiped, nothing is skipped.
 */
@Component
public class FleetStore {

	private static final int LOOKUP_CHUNK = 1000;

	private static final int BATCH = 500;

	private final MasterStates masters;

	private final Workers workers;

	private final Transitions transitions;

	private final Builders builders;

	private final Builds builds;

	private final JdbcTemplate jdbc;

	private final BuildWindows windows;

	private final MasterEvents events;

	private final SourceMasterStates sourceMasters;

	private final boolean stepsNeverRead;

	private final PollStates polls;

	private final Duration unconfiguredAfter;

	private final Truncations truncations = new Truncations();

	FleetStore(MasterStates masters, Workers workers, Transitions transitions, Builders builders, Builds builds,
			JdbcTemplate jdbc, BuildWindows windows, MasterEvents events, SourceMasterStates sourceMasters,
			PollProperties poll, PollStates polls) {
		this.polls = polls;
		this.stepsNeverRead = poll.maxStepFetches() == 0;
		this.unconfiguredAfter = poll.unconfiguredAfter();
		this.events = events;
		this.sourceMasters = sourceMasters;
		this.jdbc = jdbc;
		this.windows = windows;
		this.masters = masters;
		this.workers = workers;
		this.transitions = transitions;
		this.builders = builders;
		this.builds = builds;
	}

	@Transactional
	public MasterState master(String name, String url) {
		MasterState state = this.masters.findByName(name).orElseGet(() -> new MasterState(name, url));
		state.setUrl(url);
		return this.masters.save(state);
	}

	/** A poll succeeded; a workers poll also ends an outage of the master's API. */
	@Transactional
	public void succeeded(String master, PollKind kind, Instant at) {
		pollState(master, kind).succeeded(at);
		boolean othersFailing = othersFailing(master, kind);
		this.masters.findByName(master).ifPresent((state) -> state.succeeded(kind, at, othersFailing));
		if (kind == PollKind.WORKERS) {
			this.events.open(master, MasterInterruption.Kind.UNREACHABLE).ifPresent((e) -> e.end(at));
		}
	}

	/**
	 * Whether another kind of poll of the master is failing now: a builds poll that succeeds while the workers
	 * endpoint keeps failing does not make the master up.
	 */
	private boolean othersFailing(String master, PollKind kind) {
		return this.polls.findByMaster(master)
			.stream()
			.anyMatch((p) -> p.getKind() != kind && p.getConsecutiveFailures() > 0);
	}

	/**
	 * The master's live stream is up: the stored connection state is current as of {@code at}, as if a workers
	 * poll had just read it (its workers were seen, the master answers). The poll's own state is left alone, so
	 * the next reconciliation still comes on time.
	 */
	@Transactional
	public void heardLive(String master, Instant at) {
		boolean othersFailing = othersFailing(master, PollKind.WORKERS);
		this.masters.findByName(master).ifPresent((state) -> state.succeeded(PollKind.WORKERS, at, othersFailing));
		this.events.open(master, MasterInterruption.Kind.UNREACHABLE).ifPresent((e) -> e.end(at));
	}

	/**
	 * A poll failed; a failed workers poll (the master's heartbeat endpoint) starts an outage, from the last time
	 * it answered, unless one is open.
	 */
	@Transactional
	public void failed(String master, PollKind kind, String error, Instant at, Instant nextAttempt) {
		this.masters.findByName(master).ifPresent((state) -> {
			if (kind == PollKind.WORKERS && this.events.open(master, MasterInterruption.Kind.UNREACHABLE).isEmpty()) {
				Instant from = (state.getWorkersPolledAt() != null) ? state.getWorkersPolledAt() : at;
				this.events.save(new MasterEvent(master, MasterInterruption.Kind.UNREACHABLE, from, null, error));
			}
			state.failed(kind, error, at, nextAttempt);
		});
		pollState(master, kind).failed(at, nextAttempt);
	}

	/** The back-off of one kind of poll of a master, {@code null} before its first attempt. */
	@Transactional(readOnly = true)
	public PollState backoff(String master, PollKind kind) {
		return this.polls.findByMasterAndKind(master, kind).orElse(null);
	}

	private PollState pollState(String master, PollKind kind) {
		return this.polls.findByMasterAndKind(master, kind)
			.orElseGet(() -> this.polls.save(new PollState(master, kind)));
	}

	/**
	 * Records the master processes behind the API and the restarts their heartbeats show since the last look
	 * ({@link Heartbeats}).
	 */
	@Transactional
	public void saveSourceMasters(String master, List<SourceMaster> seen, Instant now) {
		Map<Long, SourceMasterState> known = this.sourceMasters.findByMaster(master)
			.stream()
			.collect(Collectors.toMap(SourceMasterState::getBuildbotId, Function.identity()));
		for (SourceMaster observed : seen) {
			SourceMasterState state = known.get(observed.id());
			if (state == null) {
				state = new SourceMasterState(master, observed.id());
			}
			else {
				restart(master, state, observed);
			}
			state.seen(observed, now);
			if (state.isNew()) {
				this.sourceMasters.save(state);
			}
		}
	}

	private void restart(String master, SourceMasterState before, SourceMaster now) {
		String who = "Buildbot master " + ((now.name() != null) ? "'" + now.name() + "' " : "") + "(id " + now.id()
				+ ")";
		switch (Heartbeats.compare(before.isActive(), before.getLastActive(), now)) {
			case STOPPED -> this.events.save(new MasterEvent(master, MasterInterruption.Kind.RESTART,
					(before.getLastActive() != null) ? before.getLastActive() : now.lastActive(), null,
					who + " stopped"));
			case STARTED -> this.events.open(master, MasterInterruption.Kind.RESTART)
				.ifPresentOrElse((e) -> e.end(now.lastActive()),
						() -> this.events.save(new MasterEvent(master, MasterInterruption.Kind.RESTART,
								before.getLastActive(), now.lastActive(), who + " started again")));
			case RESTARTED -> this.events.save(new MasterEvent(master, MasterInterruption.Kind.RESTART,
					before.getLastActive(), now.lastActive(),
					who + " restarted: its heartbeat left Buildbot's 60 s rhythm"));
			case NONE -> {
			}
		}
	}

	@Transactional
	public void saveWorkers(String master, List<SourceWorker> seen, Instant now) {
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
			Worker.Transition transition = worker.observe(observed, now, previousPoll, this.unconfiguredAfter,
					inactive);
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
			gone.vanished(now, previousPoll);
			if (wasConnected) {
				record(gone, Worker.Transition.DISCONNECTED, now);
				dropped++;
			}
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

	/** The builder with its name, tags and description cut to the columns' bounds (whole tags only). */
	private SourceBuilder fitted(String master, SourceBuilder b) {
		String who = "builder " + b.id() + " ";
		List<String> tags = new ArrayList<>();
		int length = 0;
		for (String tag : b.tags()) {
			String fitted = this.truncations.fit(master, who + "tag", tag, Builder.MAX_TAGS);
			length += (tags.isEmpty() ? 0 : 1) + fitted.length();
			if (length > Builder.MAX_TAGS) {
				this.truncations.fit(master, who + "tags", String.join(",", b.tags()), Builder.MAX_TAGS);
				break;
			}
			tags.add(fitted);
		}
		return new SourceBuilder(b.id(), this.truncations.fit(master, who + "name", b.name(), Builder.MAX_NAME), tags,
				this.truncations.fit(master, who + "description", b.description(), Builder.MAX_DESCRIPTION));
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
		Map<Long, Instant> last = byId(this.builds.lastCompletedByWorker(master));
		this.jdbc.batchUpdate("update worker set last_build_finished_at = ? where id = ?", workers, BATCH,
				(ps, w) -> {
					ps.setObject(1, timestamp(last.get(w.getBuildbotId())), Types.TIMESTAMP_WITH_TIMEZONE);
					ps.setLong(2, w.getId());
				});
	}

	/**
	 * Builders new to fleet-health may have builds stored already (builds of a builder are listed before the
	 * builder is): read their latest builds from the history, once. Builders that had them keep them: only
	 * forward.
	 */
	private void latestFromHistory(String master) {
		this.builders.flush();
		moveForward("builder", "last_build_finished_at", master, byId(this.builds.lastCompletedByBuilder(master)));
		moveForward("builder", "last_decisive_build_id", master,
				byId(this.builds.lastIdByBuilder(master, Build.DECISIVE_RESULTS)));
	}

	@SuppressWarnings("unchecked")
	private static <T> Map<Long, T> byId(List<Object[]> rows) {
		Map<Long, T> byId = new HashMap<>();
		for (Object[] row : rows) {
			if (row[0] != null && row[1] != null) {
				byId.put((Long) row[0], (T) row[1]);
			}
		}
		return byId;
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
				+ " read_at) values (?, ?, ?, ?, ?)", new ArrayList<>(count.keySet()), BATCH, (ps, builder) -> {
					ps.setString(1, master);
					ps.setLong(2, builder);
					ps.setInt(3, count.get(builder)[0]);
					ps.setObject(4, timestamp(oldest.get(builder)), Types.TIMESTAMP_WITH_TIMEZONE);
					ps.setObject(5, timestamp(now), Types.TIMESTAMP_WITH_TIMEZONE);
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
				master, timestamp(horizon), limit);
	}

	/**
	 * A disconnected worker's running build went on: a step finished at {@code at}, after the disconnect. Only
	 * forward.
	 */
	@Transactional
	public void recordActivity(String master, long workerBuildbotId, Instant at) {
		this.jdbc.update("update worker set last_activity_at = ? where master = ? and buildbot_id = ?"
				+ " and (last_activity_at is null or last_activity_at < ?)", timestamp(at), master, workerBuildbotId,
				timestamp(at));
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

	@Transactional
	public void saveBuilders(String master, List<SourceBuilder> seen) {
		Set<Long> current = new HashSet<>();
		this.workers.configuredBuilderIds(master).forEach((ids) -> current.addAll(Worker.builderIds(ids)));
		Map<Long, Builder> known = this.builders.findByMaster(master)
			.stream()
			.collect(Collectors.toMap(Builder::getBuildbotId, Function.identity()));
		boolean added = false;
		for (SourceBuilder reported : seen) {
			SourceBuilder observed = fitted(master, reported);
			Builder builder = known.get(observed.id());
			boolean isNew = builder == null;
			if (isNew) {
				builder = new Builder(master, observed.id());
				added = true;
			}
			builder.update(observed, current.contains(observed.id()));
			if (isNew) {
				// Known builders are managed: a change is written when the transaction ends, an unchanged one not at all.
				this.builders.save(builder);
			}
		}
		if (added) {
			latestFromHistory(master);
		}
	}

	/**
	 * Stores builds and moves the cursor in the same transaction. Plain JDBC batches, not one entity per build:
	 * build ids are {@code IDENTITY} columns, which Hibernate cannot batch, and a poll round brings thousands of
	 * builds (bench/NOTES.md). Also keeps each worker's "last build finished" current.
	 */
	@Transactional
	public void saveBuilds(String master, Collection<SourceBuild> seen, Long newCursor) {
		Map<Long, SourceBuild> byId = new LinkedHashMap<>();
		seen.forEach((b) -> byId.put(b.id(), b));
		Set<Long> known = known(master, byId.keySet());
		List<SourceBuild> inserts = new ArrayList<>();
		List<SourceBuild> updates = new ArrayList<>();
		byId.values().forEach((b) -> (known.contains(b.id()) ? updates : inserts).add(b));
		this.jdbc.batchUpdate(INSERT_BUILD, inserts, BATCH, (ps, b) -> {
			ps.setString(1, master);
			ps.setLong(2, b.id());
			int next = setBuildColumns(ps, 3, b);
			ps.setBoolean(next, settled(b));
		});
		this.jdbc.batchUpdate(UPDATE_BUILD, updates, BATCH, (ps, b) -> {
			int next = setBuildColumns(ps, 1, b);
			ps.setBoolean(next, settled(b));
			ps.setString(next + 1, master);
			ps.setLong(next + 2, b.id());
		});
		recordLatest(master, byId.values());
		Set<Long> inserted = new HashSet<>();
		inserts.forEach((b) -> inserted.add(b.id()));
		this.windows.written(master, BuildWindows.stored(byId.values(), inserted, this::settled));
		if (newCursor != null) {
			this.masters.findByName(master).ifPresent((state) -> state.setBuildCursor(newCursor));
		}
	}

	private static final String BUILD_COLUMNS = "number, builder_buildbot_id, worker_buildbot_id, started_at,"
			+ " complete_at, complete, results, revision, state_string, branch";

	// steps_fetched is set at once for builds whose steps will never be read (they ended well, or were skipped or
	// cancelled), so the steps poll looks among the few builds still pending, not the whole lookback.
	private static final String INSERT_BUILD = "insert into build (master, buildbot_id, " + BUILD_COLUMNS
			+ ", steps_fetched) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

	private static final String UPDATE_BUILD = "update build set number = ?, builder_buildbot_id = ?,"
			+ " worker_buildbot_id = ?, started_at = ?, complete_at = ?, complete = ?, results = ?, revision = ?,"
			+ " state_string = ?, branch = ?, steps_fetched = (steps_fetched or ?) where master = ? and buildbot_id = ?";

	/** Results whose steps are never read: success, warnings, skipped, cancelled. */
	private static final Set<BuildResult> NO_STEPS_NEEDED = EnumSet.of(BuildResult.SUCCESS, BuildResult.WARNINGS,
			BuildResult.SKIPPED, BuildResult.CANCELLED);

	/** Sets the ten columns a poll can change, from {@code index}; returns the next parameter index. */
	private static int setBuildColumns(PreparedStatement ps, int index, SourceBuild b) throws SQLException {
		ps.setInt(index, b.number());
		ps.setLong(index + 1, b.builderId());
		ps.setObject(index + 2, b.workerId(), Types.BIGINT);
		ps.setObject(index + 3, timestamp(b.startedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
		ps.setObject(index + 4, timestamp(b.completeAt()), Types.TIMESTAMP_WITH_TIMEZONE);
		ps.setBoolean(index + 5, b.complete());
		ps.setObject(index + 6, b.results(), Types.INTEGER);
		ps.setString(index + 7, Build.truncate(b.revision(), Build.MAX_REVISION));
		ps.setString(index + 8, Build.truncate(b.stateString(), Build.MAX_STATE_STRING));
		ps.setString(index + 9, Build.truncate(b.branch(), Build.MAX_BRANCH));
		return index + 10;
	}

	/**
	 * Whether a build needs no (more) steps read: it finished well, was skipped or cancelled, or steps are never
	 * read ({@code max-step-fetches=0}). A failed build is judged once its failing step is known.
	 */
	private boolean settled(SourceBuild b) {
		return b.complete() && (this.stepsNeverRead || NO_STEPS_NEEDED.contains(BuildResult.of(b.results())));
	}

	private static OffsetDateTime timestamp(Instant at) {
		return (at != null) ? at.atOffset(ZoneOffset.UTC) : null;
	}

	/**
	 * Moves each worker's and builder's latest builds forward. Only ever forward, in the statement itself, so a
	 * page of old builds (a backfill) or a concurrent writer cannot move them back.
	 */
	private void recordLatest(String master, Collection<SourceBuild> builds) {
		Map<Long, Instant> byWorker = new HashMap<>();
		Map<Long, Instant> byBuilder = new HashMap<>();
		Map<Long, Long> decisive = new HashMap<>();
		for (SourceBuild b : builds) {
			if (b.complete() && b.completeAt() != null) {
				if (b.workerId() != null) {
					byWorker.merge(b.workerId(), b.completeAt(), Durations::latest);
				}
				byBuilder.merge(b.builderId(), b.completeAt(), Durations::latest);
			}
			if (b.complete() && BuildResult.decisive(b.results())) {
				decisive.merge(b.builderId(), b.id(), Math::max);
			}
		}
		moveForward("worker", "last_build_finished_at", master, byWorker);
		// Both builder columns in one statement per builder. coalesce(greatest(c, ?), c, ?) is the larger of the
		// two, either may be null: H2's greatest() is null when any argument is.
		Set<Long> builderIds = new HashSet<>(byBuilder.keySet());
		builderIds.addAll(decisive.keySet());
		this.jdbc.batchUpdate("update builder set last_build_finished_at = coalesce(greatest(last_build_finished_at, ?),"
				+ " last_build_finished_at, ?), last_decisive_build_id = coalesce(greatest(last_decisive_build_id, ?),"
				+ " last_decisive_build_id, ?) where master = ? and buildbot_id = ?", new ArrayList<>(builderIds), BATCH,
				(ps, id) -> {
					OffsetDateTime finished = timestamp(byBuilder.get(id));
					ps.setObject(1, finished, Types.TIMESTAMP_WITH_TIMEZONE);
					ps.setObject(2, finished, Types.TIMESTAMP_WITH_TIMEZONE);
					ps.setObject(3, decisive.get(id), Types.BIGINT);
					ps.setObject(4, decisive.get(id), Types.BIGINT);
					ps.setString(5, master);
					ps.setLong(6, id);
				});
	}

	private <T> void moveForward(String table, String column, String master, Map<Long, T> values) {
		String sql = "update " + table + " set " + column + " = ? where master = ? and buildbot_id = ? and (" + column
				+ " is null or " + column + " < ?)";
		this.jdbc.batchUpdate(sql, new ArrayList<>(values.entrySet()), BATCH, (ps, e) -> {
			Object value = (e.getValue() instanceof Instant at) ? timestamp(at) : e.getValue();
			ps.setObject(1, value);
			ps.setString(2, master);
			ps.setLong(3, e.getKey());
			ps.setObject(4, value);
		});
	}

	/**
	 * The stored ids among those seen. Pages are runs of consecutive ids, so they are read as ranges of the
	 * unique (master, buildbot_id) index, at most {@value #LOOKUP_CHUNK} ids and twice that span per query: an
	 * IN list of a page's ids made H2 compare every stored build of the master with every id (cost growing with
	 * the history), and a backfill has more ids than a statement takes parameters (H2 100,000, PostgreSQL
	 * 65,535).
	 */
	private Set<Long> known(String master, Collection<Long> seen) {
		long[] ids = seen.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
		Set<Long> known = new HashSet<>();
		int from = 0;
		while (from < ids.length) {
			int to = from;
			while (to + 1 < ids.length && to + 1 - from < LOOKUP_CHUNK && ids[to + 1] - ids[from] < 2L * LOOKUP_CHUNK) {
				to++;
			}
			known.addAll(this.jdbc.queryForList(
					"select buildbot_id from build where master = ? and buildbot_id between ? and ?", Long.class, master,
					ids[from], ids[to]));
			from = to + 1;
		}
		return known;
	}

	@Transactional
	public void resetCursor(String master) {
		this.masters.findByName(master).ifPresent((state) -> state.setBuildCursor(null));
	}

	/** Records the failing step (or none) of builds whose steps were read, by the master's build id. */
	@Transactional
	public void saveFailingSteps(String master, Map<Long, String> failingSteps) {
		if (failingSteps.isEmpty()) {
			return;
		}
		this.jdbc.batchUpdate("update build set failing_step = ?, steps_fetched = true where master = ? and buildbot_id = ?",
				new ArrayList<>(failingSteps.entrySet()), BATCH, (ps, e) -> {
					ps.setString(1, Build.truncate(e.getValue(), Build.MAX_FAILING_STEP));
					ps.setString(2, master);
					ps.setLong(3, e.getKey());
				});
		this.windows.written(master, BuildWindows.failingSteps(failingSteps));
	}

}
