package org.fleethealth.quarantine;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.fleethealth.health.PauseReasons;
import org.fleethealth.quarantine.internal.Quarantine;
import org.fleethealth.quarantine.internal.Quarantines;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Tells the classification why fleet-health paused a worker: Buildbot 3.7 keeps no pause reason. */
@Component
class QuarantinePauseReasons implements PauseReasons {

	private final Quarantines quarantines;

	QuarantinePauseReasons(Quarantines quarantines) {
		this.quarantines = quarantines;
	}

	@Override
	@Transactional(readOnly = true)
	public Map<String, String> pauseReasons(String master) {
		return this.quarantines.findByMasterAndStatusIn(master, List.of(QuarantineStatus.QUARANTINED))
			.stream()
			.filter((q) -> q.getPauseReason() != null)
			.collect(Collectors.toMap(Quarantine::getWorker, Quarantine::getPauseReason, (a, b) -> a));
	}

}
