package org.fleethealth.fleet.internal;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** Poll bookkeeping of each master. */
public interface MasterStates extends JpaRepository<MasterState, Long> {

	Optional<MasterState> findByName(String name);

	List<MasterState> findAllByOrderByName();
}
