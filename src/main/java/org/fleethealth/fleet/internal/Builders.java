package org.fleethealth.fleet.internal;

import java.util.List;

import jakarta.persistence.QueryHint;

import org.hibernate.jpa.HibernateHints;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.jpa.repository.QueryHints;

/** Builders of each master. */
public interface Builders extends JpaRepository<Builder, Long> {

	/** For {@code BuildStore}, which updates them. */
	List<Builder> findByMaster(String master);

	/** For readers: read-only, never snapshotted or dirty-checked (see {@link Workers}). */
	@QueryHints(@QueryHint(name = HibernateHints.HINT_READ_ONLY, value = "true"))
	@Query("select b from Builder b where b.master = ?1")
	List<Builder> readByMaster(String master);

}
