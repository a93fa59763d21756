package org.fleethealth.health;

import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

/** Current judgements. */
interface Healths extends JpaRepository<WorkerHealth, Long> {

}
