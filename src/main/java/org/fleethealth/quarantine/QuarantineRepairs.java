package org.fleethealth.quarantine;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fleethealth.health.HostRepairs;
import org.fleethealth.quarantine.internal.Quarantine;
import org.fleethealth.quarantine.internal.Quarantines;
import org.fleethealth.system.Durations;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tells the classification which hosts were released from quarantine as repaired: on {@code probation} now (its
 * owner said "fixed", or a maintainer released it), or {@code released}, the builds after that release having had
 * no host failure. A failed probation is no repair: that release stops counting.
 */
@Component
class QuarantineRepairs implements HostRepairs {

	private final Quarantines quarantines;

	QuarantineRepairs(Quarantines quarantines) {
		this.quarantines = quarantines;
	}

	@Override
	@Transactional(readOnly = true)
	public Map<String, Instant> repairedSince(String master) {
		Map<String, Instant> since = new HashMap<>();
		for (Quarantine q : this.quarantines.findByMasterAndStatusIn(master, List.of(QuarantineStatus.PROBATION,
				QuarantineStatus.RELEASED))) {
			if (q.getReleasedAt() != null) {
				since.merge(q.getWorker(), q.getReleasedAt(), Durations::latest);
			}
		}
		return since;
	}

}
