package org.fleethealth.fleet.internal;

import java.time.Instant;
import java.util.List;

import org.fleethealth.fleet.WorkerChange;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Connect/disconnect history. */
public interface Transitions extends JpaRepository<WorkerTransition, Long> {

	/** A master's transitions since an instant: a join, as {@code Healths.findByMaster} says why. */
	@Query("select t from WorkerTransition t, Worker w where w.id = t.workerId and w.master = ?1 and t.at >= ?2")
	List<WorkerTransition> findByMasterSince(String master, Instant since);

	List<WorkerTransition> findByWorkerIdOrderByAtDesc(Long workerId, Limit limit);

	/**
	 * The changes of one kind since an instant on every master but one, each as its worker's name, instant and
	 * master.
	 */
	@Query("select w.name, t.at, w.master from WorkerTransition t, Worker w where w.id = t.workerId and w.master <> ?1"
			+ " and t.at >= ?2 and t.kind = ?3")
	List<Object[]> findElsewhereSince(String master, Instant since, WorkerChange.Kind kind);
}
