package org.fleethealth.fleet;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Poll bookkeeping of each master. */
interface MasterStates extends JpaRepository<MasterState, Long> {

	Optional<MasterState> findByName(String name);

	List<MasterState> findAllByOrderByName();
}
