package org.fleethealth.health;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The reports of a master's configured workers after a round, with what the round made of each build.
 *
 * @param master the watched master's name
 * @param classifiedAt when the round ran
 * @param reclassified whether the workers were judged just now, rather than stored judgements reloaded
 * @param workers one report per configured worker, by name
 * @param builds what the round made of each build of the window that was no plain success, by the master's build
 * id; empty when the judgements were reloaded rather than made
 */
public record Classification(String master, Instant classifiedAt, boolean reclassified, List<WorkerReport> workers,
		Map<Long, JudgedBuild> builds) {

	public Classification {
		workers = List.copyOf(workers);
		builds = (builds != null) ? Map.copyOf(builds) : Map.of();
	}

	/** Reloaded judgements: not judged just now, no build judgements. */
	public Classification(String master, Instant classifiedAt, List<WorkerReport> workers) {
		this(master, classifiedAt, false, workers, Map.of());
	}

}
