package org.fleethealth.quarantine;

import java.time.Duration;
import java.time.Instant;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.FleetWorker;
import org.fleethealth.quarantine.internal.Quarantine;
import org.springframework.stereotype.Component;

/**
 * Whether a quarantined worker's pause took, as the workers poll shows it: confirmed once the worker is listed
 * paused; ended (released, no probation) when it is listed unpaused after that, since someone unpaused it in
 * Buildbot; noted once when the pause does not show a while after the master accepted it.
 */
@Component
class PauseConfirmation {

	/** How long after the master accepted a pause its absence from the workers list is worth a note. */
	private static final Duration UNCONFIRMED_AFTER = Duration.ofMinutes(15);

	private final FleetQueries fleet;

	private final QuarantineActions actions;

	PauseConfirmation(FleetQueries fleet, QuarantineActions actions) {
		this.fleet = fleet;
		this.actions = actions;
	}

	/** Confirms, ends or notes a quarantine whose pause the master accepted, by what the workers poll stored. */
	void check(Quarantine q, Instant now) {
		FleetWorker w = this.fleet.worker(q.getMaster(), q.getWorker()).orElse(null);
		if (w == null) {
			return;
		}
		if (w.paused() && q.getPauseConfirmedAt() == null) {
			q.confirmPaused(now);
			this.actions.record(q, "pause-confirmed", QuarantineActions.FLEET_HEALTH,
					"the workers poll shows it paused", now);
		}
		else if (!w.paused() && q.getPauseConfirmedAt() != null) {
			this.actions.end(q, QuarantineStatus.RELEASED, "unpaused-elsewhere",
					"unpaused in Buildbot outside fleet-health: no longer quarantined, no probation", now);
		}
		else if (!w.paused() && q.getNote() == null && q.getPausedAt().plus(UNCONFIRMED_AFTER).isBefore(now)) {
			// Said once; the pause may still show later.
			q.note("the master accepted the pause at " + q.getPausedAt() + ", but its workers list does not show the"
					+ " worker paused yet", now);
		}
	}

}
