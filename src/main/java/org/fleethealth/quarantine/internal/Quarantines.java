package org.fleethealth.quarantine.internal;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.fleethealth.quarantine.QuarantineStatus;
import org.springframework.data.jpa.repository.JpaRepository;

/** Quarantines, newest first where a list is asked for. */
public interface Quarantines extends JpaRepository<Quarantine, Long> {

	List<Quarantine> findAllByOrderByIdDesc();

	List<Quarantine> findByMasterOrderByIdDesc(String master);

	List<Quarantine> findByMasterAndWorkerOrderByIdDesc(String master, String worker);

	List<Quarantine> findByMasterAndStatusIn(String master, Collection<QuarantineStatus> statuses);

	List<Quarantine> findByStatusIn(Collection<QuarantineStatus> statuses);

	Optional<Quarantine> findByOpenKey(String openKey);

}
