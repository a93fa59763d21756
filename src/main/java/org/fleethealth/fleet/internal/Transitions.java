package org.fleethealth.fleet.internal;

import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Connect/disconnect history. */
public interface Transitions extends JpaRepository<WorkerTransition, Long> {

	@Query("select t from WorkerTransition t where t.at >= ?2 and t.workerId in (select w.id from Worker w where w.master = ?1)")
	List<WorkerTransition> findByMasterSince(String master, Instant since);

	List<WorkerTransition> findByWorkerIdOrderByAtDesc(Long workerId, Limit limit);
}
