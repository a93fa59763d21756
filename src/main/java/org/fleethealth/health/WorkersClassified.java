package org.fleethealth.health;

import java.util.List;
import java.util.Map;

/**
 * The fresh reports of a master's configured workers. {@code reclassified} is true right after this instance
 * classified them, false when an instance merely reloaded what another one stored (clustered mode): only the
 * former should trigger decisions such as proposals.
 *
 * @param builds what the classification made of each build of the window that was no plain success, by build id
 * (empty when the reports were merely reloaded)
 */
public record WorkersClassified(String master, List<WorkerReport> workers, boolean reclassified,
		Map<Long, JudgedBuild> builds) {

	public WorkersClassified {
		builds = (builds != null) ? Map.copyOf(builds) : Map.of();
	}

	public WorkersClassified(String master, List<WorkerReport> workers, boolean reclassified) {
		this(master, workers, reclassified, Map.of());
	}

	public WorkersClassified(String master, List<WorkerReport> workers) {
		this(master, workers, true, Map.of());
	}

}
