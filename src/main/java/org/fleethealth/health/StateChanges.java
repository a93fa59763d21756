package org.fleethealth.health;

import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

/** State history. */
interface StateChanges extends JpaRepository<WorkerStateChange, Long> {

	List<WorkerStateChange> findByWorkerIdOrderByIdDesc(Long workerId, Limit limit);
}
