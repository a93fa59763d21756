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

	@Query("select r.worker, max(r.backBy) from OwnerReply r where r.master = ?1 and r.backBy >= ?2 group by r.worker")
	List<Object[]> backByDates(String master, LocalDate notBefore);

}
