package org.fleethealth.fleet;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Builders of each master. */
interface Builders extends JpaRepository<Builder, Long> {

	List<Builder> findByMaster(String master);
}
