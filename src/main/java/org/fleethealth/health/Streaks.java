package org.fleethealth.health;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.health.Facts.BuilderFacts;

/**
 * Builders that keep failing in one step: their last {@code failing-streak} builds, whichever of their workers ran
 * them, failed in the same step. Only what says something about the builder counts: a success ends a streak; host
 * failures, code breaks and builds the master ended neither start nor break one. A builder that left the
 * master's configuration ({@link BuilderFacts#retired()}) has no streak.
 */
final class Streaks {

	private Streaks() {
	}

	/**
	 * A builder's current run of failures in one step.
	 *
	 * @param run the failures of the run, oldest first
	 */
	record Streak(long builderId, String step, List<BuildFacts> run) {
	}

	/** The builders of the round that are on a failing streak, by builder id. */
	static Map<Long, Streak> of(Round round, Judgements judged, int length) {
		Map<Long, Streak> streaks = new HashMap<>();
		for (Long builderId : round.builders()) {
			BuilderFacts builder = round.master.builders().get(builderId);
			if (builder != null && builder.retired()) {
				// Left the configuration: nobody is to fix what it builds.
				continue;
			}
			List<BuildFacts> newestFirst = new ArrayList<>();
			for (BuildFacts b : round.onBuilder(builderId)) {
				Outcome outcome = judged.outcome(b.id());
				if (outcome == Outcome.SUCCESS || outcome == Outcome.FAILURE) {
					newestFirst.add(b);
				}
			}
			Collections.reverse(newestFirst);
			Streak streak = streak(builderId, newestFirst, judged, length);
			if (streak != null) {
				streaks.put(builderId, streak);
			}
		}
		return streaks;
	}

	private static Streak streak(long builderId, List<BuildFacts> newestFirst, Judgements judged, int length) {
		if (newestFirst.size() < length) {
			return null;
		}
		String step = newestFirst.get(0).failingStep();
		int run = 0;
		for (BuildFacts b : newestFirst) {
			if (judged.outcome(b.id()) != Outcome.FAILURE || !Objects.equals(b.failingStep(), step)) {
				break;
			}
			run++;
		}
		if (run < length) {
			return null;
		}
		List<BuildFacts> oldestFirst = new ArrayList<>(newestFirst.subList(0, run));
		Collections.reverse(oldestFirst);
		return new Streak(builderId, step, oldestFirst);
	}

}
