package org.fleethealth.pruning;

import java.util.Collection;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

/** Removal proposals. */
interface Proposals extends JpaRepository<Proposal, Long> {

	List<Proposal> findByMasterAndStatusIn(String master, Collection<ProposalStatus> statuses);

	List<Proposal> findByMasterAndWorkerOrderByIdDesc(String master, String worker);

	List<Proposal> findByStatusInOrderByMasterAscWorkerAscIdAsc(Collection<ProposalStatus> statuses);

	List<Proposal> findAllByOrderByIdDesc();

	int countByMasterAndStatus(String master, ProposalStatus status);

}
