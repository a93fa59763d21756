package org.fleethealth.health;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Current judgements. */
interface Healths extends JpaRepository<WorkerHealth, Long> {

	/** The judgements of a master's workers: by master, not by an IN list of every worker id. */
	@Query("select h from WorkerHealth h where h.workerId in (select w.id from Worker w where w.master = ?1)")
	List<WorkerHealth> findByMaster(String master);

}
