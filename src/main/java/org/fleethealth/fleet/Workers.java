package org.fleethealth.fleet;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Workers as observed. */
interface Workers extends JpaRepository<Worker, Long> {

	List<Worker> findByMaster(String master);

	List<Worker> findByMasterAndConfiguredTrueOrderByName(String master);

	Optional<Worker> findByMasterAndName(String master, String name);
}
