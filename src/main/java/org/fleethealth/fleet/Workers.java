package org.fleethealth.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.QueryHint;

import org.hibernate.jpa.HibernateHints;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.jpa.repository.QueryHints;

/** Workers as observed. */
interface Workers extends JpaRepository<Worker, Long> {

	List<Worker> findByMaster(String master);

	/**
	 * For readers (classification, reports, the gate): read-only, so the 10,000 workers of a large fleet are
	 * neither snapshotted nor dirty-checked when a classification transaction writes its judgements.
	 */
	@QueryHints(@QueryHint(name = HibernateHints.HINT_READ_ONLY, value = "true"))
	List<Worker> findByMasterAndConfiguredTrueOrderByName(String master);

	Optional<Worker> findByMasterAndName(String master, String name);

	/** The builder ids of the master's configured workers, as stored (comma-separated), without loading workers. */
	@Query("select w.builderIds from Worker w where w.master = :master and w.configured = true")
	List<String> configuredBuilderIds(String master);

	/** Every connected worker of the master was seen now: one statement, not one update per worker. */
	@Modifying
	@Query("update Worker w set w.lastSeenAt = :now where w.master = :master and w.connected = true")
	int seenConnected(String master, Instant now);

}
