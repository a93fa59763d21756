package org.fleethealth.fleet.internal;

import java.util.List;
import java.util.Optional;

import org.fleethealth.fleet.PollKind;
import org.springframework.data.jpa.repository.JpaRepository;

/** The back-off of each kind of poll of each master. */
public interface PollStates extends JpaRepository<PollState, Long> {

	Optional<PollState> findByMasterAndKind(String master, PollKind kind);

	List<PollState> findByMaster(String master);

}
