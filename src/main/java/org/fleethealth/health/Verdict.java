package org.fleethealth.health;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The classification of one worker.
 *
 * @param state its state
 * @param since since when it is in that state
 * @param evidence why, in sentences that name numbers and builds
 * @param counts its builds in the window by outcome
 * @param outcomes the outcome of each of its counted builds, by build id
 */
public record Verdict(WorkerState state, Instant since, List<String> evidence, BuildCounts counts,
		Map<Long, Outcome> outcomes) {

	public Verdict {
		evidence = List.copyOf(evidence);
		outcomes = Map.copyOf(outcomes);
	}

}
