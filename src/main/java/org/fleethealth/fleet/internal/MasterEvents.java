package org.fleethealth.fleet.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.fleethealth.fleet.MasterInterruption;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Restarts, outages and mass disconnects of the masters. */
public interface MasterEvents extends JpaRepository<MasterEvent, Long> {

	/** Events that overlap the time since the given instant, oldest first. */
	@Query("select e from MasterEvent e where e.master = ?1 and (e.endedAt is null or e.endedAt >= ?2)"
			+ " order by e.startedAt")
	List<MasterEvent> overlapping(String master, Instant since);

	/** The open event of a kind (an outage that has not ended), if any. */
	@Query("select e from MasterEvent e where e.master = ?1 and e.kind = ?2 and e.endedAt is null")
	Optional<MasterEvent> open(String master, MasterInterruption.Kind kind);

}
