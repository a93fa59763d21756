package org.fleethealth.fleet.internal;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

/** The Buildbot master processes behind each watched API. */
public interface SourceMasterStates extends JpaRepository<SourceMasterState, Long> {

	List<SourceMasterState> findByMaster(String master);

	int countByMaster(String master);

}
