package org.fleethealth.fleet;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Connect/disconnect history. */
interface Transitions extends JpaRepository<WorkerTransition, Long> {

	List<WorkerTransition> findByWorkerIdInAndAtGreaterThanEqual(Collection<Long> workerIds, Instant since);

	List<WorkerTransition> findByWorkerIdOrderByAtDesc(Long workerId, Limit limit);
}
