package org.fleethealth.fleet.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.fleethealth.fleet.PollProperties;
import org.fleethealth.source.BuildResult;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.system.MasterLocks;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes what a builds poll saw: the builders, the builds with the cursor after them, the failing steps, and each
 * worker's and builder's latest builds ({@link LatestBuilds}). Each method is one transaction, so a poll that fails half-way leaves the
 * last complete picture (and the build cursor) as it was: nothing is wiped, nothing is skipped.
 */
@Component
public class BuildStore {

	private static final int LOOKUP_CHUNK = 1000;

	private final MasterStates masters;

	private final Workers workers;

	private final Builders builders;

	private final JdbcTemplate jdbc;

	private final BuildWindows windows;

	private final boolean stepsNeverRead;

	private final Truncations truncations = new Truncations();

	private final MasterLocks locks;

	private final LatestBuilds latest;

	BuildStore(MasterStates masters, Workers workers, Builders builders, JdbcTemplate jdbc,
			BuildWindows windows, PollProperties poll, MasterLocks locks, LatestBuilds latest) {
		this.locks = locks;
		this.latest = latest;
		this.masters = masters;
		this.workers = workers;
		this.builders = builders;
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
			this.builders.flush();
			this.latest.fromHistory(master);
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
		this.latest.record(master, byId.values());
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

	/**
	 * Whether builds stored since the last call finished on a builder not stored yet (added to the master since
	 * its builders were read): the builders are then to be read at once. Clears the mark.
	 */
	public boolean takeUnknownBuilders(String master) {
		return this.latest.takeUnknownBuilders(master);
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
