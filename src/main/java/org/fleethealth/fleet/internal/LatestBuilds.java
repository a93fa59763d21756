package org.fleethealth.fleet.internal;

import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.fleethealth.source.BuildResult;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.system.Durations;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Each worker's and builder's latest builds, kept on their rows ({@code last_build_finished_at}, and the builder's
 * {@code last_decisive_build_id} the release gate reads): moved only forward, in the statements themselves, so a
 * page of old builds (a backfill) or a concurrent writer cannot move them back. Runs in the caller's transaction
 * ({@link BuildStore}).
 */
@Component
class LatestBuilds {

	private final JdbcTemplate jdbc;

	private final Builds builds;

	// Masters with builds stored on builders not stored yet (takeUnknownBuilders).
	private final Set<String> unknownBuilders = ConcurrentHashMap.newKeySet();

	LatestBuilds(JdbcTemplate jdbc, Builds builds) {
		this.jdbc = jdbc;
		this.builds = builds;
	}

	/**
	 * Moves the latest builds of the workers and builders of {@code builds} forward. A builder that has no row yet
	 * (added to the master since its builders were read) marks the master ({@link #takeUnknownBuilders}).
	 */
	void record(String master, Collection<SourceBuild> builds) {
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
	 * Builders new to fleet-health may have builds stored already (builds of a builder are listed before the
	 * builder is): reads their latest builds from the history, once. Builders that had them keep them: only
	 * forward. The new builder rows must be flushed first.
	 */
	void fromHistory(String master) {
		moveForward("builder", "last_build_finished_at", master, Sql.byId(this.builds.lastCompletedByBuilder(master)));
		moveForward("builder", "last_decisive_build_id", master,
				Sql.byId(this.builds.lastIdByBuilder(master, Build.DECISIVE_RESULTS)));
	}

	/**
	 * Whether builds recorded since the last call finished on a builder not stored yet: the builders are then to be
	 * read at once. Clears the mark.
	 */
	boolean takeUnknownBuilders(String master) {
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

}
