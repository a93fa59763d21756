package org.fleethealth.health;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The classification of one worker.
 *
 * @param state its state
 * @param since since when it is in that state
 * @param evidence why, in sentences that name numbers, builds, revisions and peers
 * @param counts its builds in the window by outcome
 * @param outcomes the outcome of each of its judged builds, by build id
 * @param rules the rules that fired: the one that decided the state first, then context (version drift)
 */
public record Verdict(WorkerState state, Instant since, List<String> evidence, BuildCounts counts,
		Map<Long, Outcome> outcomes, List<Rule> rules) {

	public Verdict {
		evidence = List.copyOf(evidence);
		outcomes = Map.copyOf(outcomes);
		rules = List.copyOf(rules);
	}

}
