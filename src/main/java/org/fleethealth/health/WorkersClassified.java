package org.fleethealth.health;

import java.util.List;

/**
 * The fresh reports of a master's configured workers. {@code reclassified} is true right after this instance
 * classified them, false when an instance merely reloaded what another one stored (clustered mode): only the
 * former should trigger decisions such as proposals.
 */
public record WorkersClassified(String master, List<WorkerReport> workers, boolean reclassified) {

	public WorkersClassified(String master, List<WorkerReport> workers) {
		this(master, workers, true);
	}

}
