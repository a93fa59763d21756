package org.fleethealth.quarantine;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

import org.fleethealth.fleet.FleetBuild;
import org.fleethealth.fleet.FleetBuilder;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.FleetWorker;
import org.fleethealth.health.Classification;
import org.fleethealth.health.JudgedBuild;
import org.fleethealth.health.Outcome;
import org.fleethealth.quarantine.internal.Quarantine;
import org.fleethealth.quarantine.internal.Quarantines;
import org.fleethealth.source.BuildResult;
import org.springframework.stereotype.Component;

/**
 * Judges workers on probation by their builds after the release, in the quarantine round
 * ({@link QuarantineRounds}), and tells whether a worker had a host failure since an instant.
 */
@Component
class Probations {

	/** How long a red build's failing step is waited for before its judgement counts as it is. */
	private static final Duration STEPS_WAIT = Duration.ofMinutes(30);

	private final FleetQueries fleet;

	private final QuarantineActions actions;

	private final Quarantines quarantines;

	private final QuarantineProperties properties;

	Probations(FleetQueries fleet, QuarantineActions actions, Quarantines quarantines,
			QuarantineProperties properties) {
		this.fleet = fleet;
		this.actions = actions;
		this.quarantines = quarantines;
		this.properties = properties;
	}

	/**
	 * Its first {@code probation-builds} builds started after the release: a host failure among them quarantines it
	 * again at once (through the safety valve); as many without one end the probation. A red build not judged yet,
	 * or whose failing step is not read yet (for up to half an hour), is waited for.
	 *
	 * @param reopen opens the new proposal for the worker (the closed one freed its key first)
	 * @return whether it was quarantined again (the master's held quarantines changed)
	 */
	boolean judge(Classification c, Quarantine q, Supplier<Quarantine> reopen, Instant now) {
		FleetWorker w = this.fleet.worker(q.getMaster(), q.getWorker()).orElse(null);
		if (w == null) {
			return false;
		}
		List<FleetBuild> next = this.fleet.recentBuilds(w, 50)
			.stream()
			.filter((b) -> b.complete() && b.startedAt() != null && b.startedAt().isAfter(q.getReleasedAt()))
			.sorted(Comparator.comparing(FleetBuild::startedAt))
			.limit(this.properties.probationBuilds())
			.toList();
		for (FleetBuild b : next) {
			JudgedBuild j = c.builds().get(b.buildbotId());
			if (BuildResult.red(b.results()) && (j == null || (b.failingStep() == null
					&& b.completeAt() != null && b.completeAt().isAfter(now.minus(STEPS_WAIT))))) {
				// Not judged yet, or judged before its failing step was read: the next round tells.
				return false;
			}
			if (j != null && j.outcome() == Outcome.HOST_FAILURE) {
				this.actions.end(q, QuarantineStatus.PROBATION_FAILED, "probation-failed",
						"build '" + builderName(q.getMaster(), b) + "' #" + b.number()
								+ " after the release was a host failure"
								+ ((j.reason() != null) ? " (" + j.reason() + ")" : "") + ": quarantined again",
						now);
				// The closed one frees the worker's open key before the new one takes it.
				this.quarantines.flush();
				this.actions.approve(reopen.get(), QuarantineActions.FLEET_HEALTH + " (probation)", c.builds(), now);
				return true;
			}
		}
		if (next.size() >= this.properties.probationBuilds()) {
			this.actions.end(q, QuarantineStatus.RELEASED, "probation-passed",
					"probation passed: its " + next.size() + " builds after the release had no host failure", now);
		}
		return false;
	}

	/** Whether one of the worker's builds started after {@code since} was judged a host failure this round. */
	boolean hostFailureSince(Classification c, String worker, Instant since) {
		return this.fleet.worker(c.master(), worker)
			.map((w) -> this.fleet.recentBuilds(w, 50)
				.stream()
				.anyMatch((b) -> b.startedAt() != null && b.startedAt().isAfter(since)
						&& c.builds().containsKey(b.buildbotId())
						&& c.builds().get(b.buildbotId()).outcome() == Outcome.HOST_FAILURE))
			.orElse(false);
	}

	private String builderName(String master, FleetBuild b) {
		return this.fleet.builders(master)
			.stream()
			.filter((builder) -> builder.buildbotId() == b.builderBuildbotId())
			.map(FleetBuilder::name)
			.findFirst()
			.orElse("builder " + b.builderBuildbotId());
	}

}
