package org.fleethealth.quarantine.internal;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

/** The history of quarantines. */
public interface QuarantineEvents extends JpaRepository<QuarantineEvent, Long> {

	List<QuarantineEvent> findByMasterAndWorkerOrderByIdDesc(String master, String worker);

}
