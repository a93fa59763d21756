package org.fleethealth.health;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.source.BuildResult;
import org.fleethealth.system.Durations;

/**
 * Checkouts that fail on most of a master's workers at once ({@code outage-span}, {@code outage-share}): the
 * repository or the master is out, not the hosts ({@link BuildJudge}'s fourth rule).
 */
final class Outages {

	private final Round round;

	private final ClassificationProperties properties;

	private final Predicate<String> infrastructure;

	/**
	 * @param infrastructure whether a failing step is an infrastructure step ({@code infrastructure-steps})
	 */
	Outages(Round round, ClassificationProperties properties, Predicate<String> infrastructure) {
		this.round = round;
		this.properties = properties;
		this.infrastructure = infrastructure;
	}

	/**
	 * Why a build that failed an infrastructure step is an outage's, not its host's, or {@code null} when it is
	 * not: at least two workers, and {@code outage-share} of those that finished builds within
	 * {@code outage-span} around it, failed an infrastructure step too.
	 */
	String explain(BuildFacts b) {
		Duration half = this.properties.outageSpan().dividedBy(2);
		Set<Long> failing = new HashSet<>();
		Set<Long> active = new HashSet<>();
		for (BuildFacts other : this.round.endingNear(b.completeAt(), half)) {
			active.add(other.workerId());
			if (BuildResult.FAILURE.is(other.results()) && this.infrastructure.test(other.failingStep())) {
				failing.add(other.workerId());
			}
		}
		if (failing.size() < 2 || failing.size() < this.properties.outageShare() * active.size()) {
			return null;
		}
		return "'" + b.failingStep() + "' failed on " + failing.size() + " of the " + active.size()
				+ " workers that finished builds within " + Durations.human(this.properties.outageSpan())
				+ ": the repository's or the master's outage, not the hosts'";
	}

}
