package org.fleethealth.fleet.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.fleethealth.fleet.BuildSummary;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Builds as polled. */
public interface Builds extends JpaRepository<Build, Long> {

	List<Build> findByMasterAndBuildbotIdIn(String master, Collection<Long> buildbotIds);

	List<Build> findByMasterAndBuildbotIdBetween(String master, long from, long to);

	/**
	 * The ids of builds still running, from after an id on. Running builds are never settled (steps_fetched), so
	 * this reads the steps index.
	 */
	@Query("select b.buildbotId from Build b where b.master = ?1 and b.stepsFetched = false and b.complete = false"
			+ " and b.startedAt >= ?2 and b.buildbotId > ?3 order by b.buildbotId")
	List<Long> runningAfter(String master, Instant since, long afterId, Limit limit);

	@Query("select b from Build b where b.master = ?1 and b.complete = true and b.stepsFetched = false"
			+ " and b.results not in (0, 1, 3, 6) and b.startedAt >= ?2 order by b.buildbotId desc")
	List<Build> needingSteps(String master, Instant since, Limit limit);

	@Query("select count(b) from Build b where b.master = ?1 and b.complete = true and b.stepsFetched = false"
			+ " and b.results not in (0, 1, 3, 6) and b.startedAt >= ?2")
	long countNeedingSteps(String master, Instant since);

	List<Build> findByMasterAndStartedAtGreaterThanEqual(String master, Instant since);

	@Query("select new org.fleethealth.fleet.BuildSummary(b.buildbotId, b.number, b.builderBuildbotId, b.workerBuildbotId,"
			+ " b.startedAt, b.completeAt, b.complete, b.results, b.revision, b.failingStep, b.branch, b.stateString,"
			+ " b.stepsFetched)"
			+ " from Build b where b.master = ?1 and b.startedAt >= ?2")
	List<BuildSummary> summariesStartedSince(String master, Instant since);

	List<Build> findByMasterAndWorkerBuildbotIdOrderByBuildbotIdDesc(String master, Long workerBuildbotId,
			Limit limit);

	/** For workers new to fleet-health only: this reads the whole history. */
	@Query("select b.workerBuildbotId, max(b.completeAt) from Build b where b.master = ?1 and b.complete = true"
			+ " group by b.workerBuildbotId")
	List<Object[]> lastCompletedByWorker(String master);

	/** The newest decisive build of each builder, as kept on the builder rows. */
	@Query("select b from Build b, Builder r where r.master = ?1 and b.master = ?1 and b.buildbotId = r.lastDecisiveBuildId")
	List<Build> lastDecisiveOfEachBuilder(String master);

	/** For builders new to fleet-health only: this reads the whole history. */
	@Query("select b.builderBuildbotId, max(b.buildbotId) from Build b where b.master = ?1 and b.complete = true"
			+ " and b.results in ?2 group by b.builderBuildbotId")
	List<Object[]> lastIdByBuilder(String master, Collection<Integer> results);

	/** For builders new to fleet-health only: this reads the whole history. */
	@Query("select b.builderBuildbotId, max(b.completeAt) from Build b where b.master = ?1 and b.complete = true"
			+ " group by b.builderBuildbotId")
	List<Object[]> lastCompletedByBuilder(String master);

	@Query("select b.builderBuildbotId, min(b.startedAt) from Build b where b.master = ?1"
			+ " group by b.builderBuildbotId")
	List<Object[]> firstStartedByBuilder(String master);
}
