package org.fleethealth.fleet.internal;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.QueryHint;

import org.fleethealth.fleet.WorkerBuilders;
import org.hibernate.jpa.HibernateHints;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.jpa.repository.QueryHints;

/** Workers as observed. */
public interface Workers extends JpaRepository<Worker, Long> {

	List<Worker> findByMaster(String master);

	/**
	 * For readers (classification, reports, the gate): read-only, so the 10,000 workers of a large fleet are
	 * neither snapshotted nor dirty-checked when a classification transaction writes its judgements.
	 */
	@QueryHints(@QueryHint(name = HibernateHints.HINT_READ_ONLY, value = "true"))
	List<Worker> findByMasterAndConfiguredTrueOrderByName(String master);

	Optional<Worker> findByMasterAndName(String master, String name);

	/** The workers of these names on the other masters, read-only (their owners: {@code WorkerOwners}). */
	@QueryHints(@QueryHint(name = HibernateHints.HINT_READ_ONLY, value = "true"))
	List<Worker> findByNameInAndMasterNotOrderByMaster(Collection<String> names, String master);

	/** How many of a master's workers are connected now, as stored. */
	int countByMasterAndConnectedTrue(String master);

	/** Every configured worker of every master, read-only (workers configured on several masters). */
	@QueryHints(@QueryHint(name = HibernateHints.HINT_READ_ONLY, value = "true"))
	List<Worker> findByConfiguredTrue();

	@Query("select new org.fleethealth.fleet.WorkerBuilders(w.name, w.buildbotId, w.connected, w.builderIds)"
			+ " from Worker w where w.master = ?1 and w.configured = true")
	List<WorkerBuilders> builderLists(String master);

	/** The builder ids of the master's configured workers, as stored (comma-separated), without loading workers. */
	@Query("select w.builderIds from Worker w where w.master = :master and w.configured = true")
	List<String> configuredBuilderIds(String master);

}
