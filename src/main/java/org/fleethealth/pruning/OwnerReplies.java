package org.fleethealth.pruning;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Owner replies. */
interface OwnerReplies extends JpaRepository<OwnerReply, Long> {

	List<OwnerReply> findByMasterAndWorkerOrderByIdDesc(String master, String worker);

	List<OwnerReply> findByMasterOrderByIdDesc(String master);

	Optional<OwnerReply> findFirstByMasterAndWorkerOrderByIdDesc(String master, String worker);

	/** The "back by" replies of a master's workers whose date is not before {@code notBefore}, newest first. */
	List<OwnerReply> findByMasterAndBackByGreaterThanEqualOrderByIdDesc(String master, LocalDate notBefore);

}
