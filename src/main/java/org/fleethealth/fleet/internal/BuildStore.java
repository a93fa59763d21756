package org.fleethealth.fleet.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.fleethealth.fleet.PollProperties;
import org.fleethealth.source.BuildResult;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.system.Durations;
import org.fleethealth.system.MasterLocks;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes what a builds poll saw: the builders, the builds with the cursor after them, the failing steps, and each
 * worker's and builder's latest builds. Each method is one transaction, so a poll that fails half-way leaves the
 * last complete picture (and the build cursor) as it was: nothing is wiped, nothing is skipped.
 */
@Component
public class BuildStore {

	private static final int LOOKUP_CHUNK = 1000;

	private final MasterStates masters;

	private final Workers workers;

	private final Builders builders;

	private final Builds builds;

	private final JdbcTemplate jdbc;

	private final BuildWindows windows;

	private final boolean stepsNeverRead;

	private final Truncations truncations = new Truncations();

	private final MasterLocks locks;

	// Masters with builds stored on builders not stored yet (takeUnknownBuilders).
	private final Set<String> unknownBuilders = ConcurrentHashMap.newKeySet();

	BuildStore(MasterStates masters, Workers workers, Builders builders, Builds builds, JdbcTemplate jdbc,
			BuildWindows windows, PollProperties poll, MasterLocks locks) {
		this.locks = locks;
		this.masters = masters;
		this.workers = workers;
		this.builders = builders;
		this.builds = builds;
		this.jdbc = jdbc;
		this.windows = windows;
		this.stepsNeverRead = poll.maxStepFetches() == 0;
	}

	@Transactional
	public void saveBuilders(String master, List<SourceBuilder> seen) {
		this.locks.lock(MasterLocks.BUILDS, master);
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
	 * Builders new to fleet-health may have builds stored already (builds of a builder are listed before the
	 * builder is): read their latest builds from the history, once. Builders that had them keep them: only
	 * forward.
	 */
	private void latestFromHistory(String master) {
		this.builders.flush();
		moveForward("builder", "last_build_finished_at", master, Sql.byId(this.builds.lastCompletedByBuilder(master)));
		moveForward("builder", "last_decisive_build_id", master,
				Sql.byId(this.builds.lastIdByBuilder(master, Build.DECISIVE_RESULTS)));
	}

	/**
	 * Stores builds and moves the cursor in the same transaction. Plain JDBC batches, not one entity per build:
	 * build ids are {@code IDENTITY} columns, which Hibernate cannot batch, and a poll round brings thousands of
	 * builds (bench/NOTES.md). Also keeps each worker's "last build finished" current.
	 */
	@Transactional
	public void saveBuilds(String master, Collection<SourceBuild> seen, Long newCursor) {
		// Instances of a cluster poll a master's builds when its stream says so, each: one stores at a time, and
		// finds stored what the other stored (an insert of the same build failed the poll on a key).
		this.locks.lock(MasterLocks.BUILDS, master);
		Map<Long, SourceBuild> byId = new LinkedHashMap<>();
		seen.forEach((b) -> byId.put(b.id(), b));
		Set<Long> known = known(master, byId.keySet());
		List<SourceBuild> inserts = new ArrayList<>();
		List<SourceBuild> updates = new ArrayList<>();
		byId.values().forEach((b) -> (known.contains(b.id()) ? updates : inserts).add(b));
		this.jdbc.batchUpdate(INSERT_BUILD, inserts, Sql.BATCH, (ps, b) -> {
			ps.setString(1, master);
			ps.setLong(2, b.id());
			int next = setBuildColumns(ps, 3, b);
			ps.setBoolean(next, settled(b));
		});
		this.jdbc.batchUpdate(UPDATE_BUILD, updates, Sql.BATCH, (ps, b) -> {
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
			// Forward only: another instance's poll may have stored newer builds meanwhile.
			this.masters.findByName(master)
				.filter((state) -> state.getBuildCursor() == null || newCursor > state.getBuildCursor())
				.ifPresent((state) -> state.setBuildCursor(newCursor));
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
		ps.setObject(index + 3, Sql.timestamp(b.startedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
		ps.setObject(index + 4, Sql.timestamp(b.completeAt()), Types.TIMESTAMP_WITH_TIMEZONE);
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
		int[][] updated = this.jdbc.batchUpdate("update builder set last_build_finished_at = coalesce(greatest(last_build_finished_at, ?),"
				+ " last_build_finished_at, ?), last_decisive_build_id = coalesce(greatest(last_decisive_build_id, ?),"
				+ " last_decisive_build_id, ?) where master = ? and buildbot_id = ?", new ArrayList<>(builderIds),
				Sql.BATCH, (ps, id) -> {
					OffsetDateTime finished = Sql.timestamp(byBuilder.get(id));
					ps.setObject(1, finished, Types.TIMESTAMP_WITH_TIMEZONE);
					ps.setObject(2, finished, Types.TIMESTAMP_WITH_TIMEZONE);
					ps.setObject(3, decisive.get(id), Types.BIGINT);
					ps.setObject(4, decisive.get(id), Types.BIGINT);
					ps.setString(5, master);
					ps.setLong(6, id);
				});
		// No row updated: a builder the master added since its builders were last read (while heard live, they are
		// read every reconcile-interval). Its builds would be "builder 17" in evidence and mail until then.
		if (Arrays.stream(updated).flatMapToInt(Arrays::stream).anyMatch((count) -> count == 0)) {
			this.unknownBuilders.add(master);
		}
	}

	/**
	 * Whether builds stored since the last call finished on a builder not stored yet (added to the master since
	 * its builders were read): the builders are then to be read at once. Clears the mark.
	 */
	public boolean takeUnknownBuilders(String master) {
		return this.unknownBuilders.remove(master);
	}

	private <T> void moveForward(String table, String column, String master, Map<Long, T> values) {
		String sql = "update " + table + " set " + column + " = ? where master = ? and buildbot_id = ? and (" + column
				+ " is null or " + column + " < ?)";
		this.jdbc.batchUpdate(sql, new ArrayList<>(values.entrySet()), Sql.BATCH, (ps, e) -> {
			Object value = (e.getValue() instanceof Instant at) ? Sql.timestamp(at) : e.getValue();
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
				new ArrayList<>(failingSteps.entrySet()), Sql.BATCH, (ps, e) -> {
					ps.setString(1, Build.truncate(e.getValue(), Build.MAX_FAILING_STEP));
					ps.setString(2, master);
					ps.setLong(3, e.getKey());
				});
		this.windows.written(master, BuildWindows.failingSteps(failingSteps));
	}

}
