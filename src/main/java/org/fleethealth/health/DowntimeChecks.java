package org.fleethealth.health;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.FleetWorker;
import org.springframework.stereotype.Component;

/**
 * Warns about planned downtime windows that cannot do what they were written for, which the start cannot refuse as
 * it refuses a window that does not parse: a one-off window that ended before the service started (a wrong year?),
 * and, once every watched master's workers were read, a window that covers none of them (a typo in a name?). A
 * worker meant to be in such a window is mailed about, or proposed for removal, during its maintenance.
 */
@Component
class DowntimeChecks {

	private static final Log logger = LogFactory.getLog(DowntimeChecks.class);

	private final Downtimes downtimes;

	private final FleetQueries fleet;

	private final Set<String> mastersSeen = ConcurrentHashMap.newKeySet();

	private final Set<String> workersSeen = ConcurrentHashMap.newKeySet();

	private volatile boolean coverageChecked;

	DowntimeChecks(Downtimes downtimes, FleetQueries fleet, Clock clock) {
		this.downtimes = downtimes;
		this.fleet = fleet;
		this.coverageChecked = !downtimes.any();
		downtimes.endedBy(clock.instant())
			.forEach((window) -> logger.warn(window + ", before this start: it puts no worker in planned"
					+ " downtime any more. Check its dates; remove it once no worker that went away before it"
					+ " ended is still away (its offline clock counts from the window's end)."));
	}

	/**
	 * Notes the workers of a master as a round reads them; once every watched master's were read, warns once
	 * about each window that covers none.
	 */
	void read(String master, List<FleetWorker> workers) {
		if (this.coverageChecked) {
			return;
		}
		workers.forEach((w) -> this.workersSeen.add(w.name()));
		this.mastersSeen.add(master);
		if (this.mastersSeen.containsAll(this.fleet.masterNames())) {
			this.coverageChecked = true;
			this.downtimes.coveringNone(this.workersSeen)
				.forEach((window) -> logger.warn(window + " covers none of the workers of the watched masters: check"
						+ " the names (patterns take * and ?); GET /api/downtime lists the windows"));
			this.workersSeen.clear();
		}
	}

}
