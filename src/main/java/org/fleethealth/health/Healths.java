package org.fleethealth.health;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Current judgements. */
interface Healths extends JpaRepository<WorkerHealth, Long> {

	/**
	 * The judgements of a master's workers: by master, not by an IN list of every worker id, and as a join (H2 ran
	 * an {@code IN (select ...)} of 10,000 workers as a sorted set of rows: a quarter of a round's time).
	 */
	@Query("select h from WorkerHealth h, Worker w where w.id = h.workerId and w.master = ?1")
	List<WorkerHealth> findByMaster(String master);

}
