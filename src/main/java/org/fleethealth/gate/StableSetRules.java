package org.fleethealth.gate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.fleethealth.system.Durations;
import org.fleethealth.source.BuildResult;
import org.fleethealth.gate.GateFacts.Candidate;
import org.fleethealth.gate.GateFacts.WorkerFacts;
import org.fleethealth.health.WorkerState;

/**
 * Works out which builders have earned a place in the stable set: at least {@code stable-min-builds}
 * builds within {@code stable-after}, every one of them green (success or warnings), the builder known for at
 * least that long, and every worker that serves it healthy now. CPython's rule of thumb is about ten builds,
 * ideally a week. Code breaks and builds the master ended are not counted either way: a commit that broke every
 * builder proposed every stable builder for removal (a CPython-shaped trial: 616 of 616). Any other failure counts.
 * Failures the classifier counts against their host are named with the host: fix it, or take it off the builder.
 */
class StableSetRules {

	private final GateProperties properties;

	StableSetRules(GateProperties properties) {
		this.properties = properties;
	}

	StableSetProposal propose(String master, List<Candidate> candidates, Instant now) {
		List<StableSetProposal.Entry> add = new ArrayList<>();
		List<StableSetProposal.Entry> remove = new ArrayList<>();
		int stable = 0;
		for (Candidate c : candidates.stream().sorted(Comparator.comparing(Candidate::name)).toList()) {
			boolean isStable = c.stableBecause() != null;
			if (isStable) {
				stable++;
			}
			if (!c.known()) {
				if (isStable) {
					remove.add(entry(c, List.of("master '" + master + "' has no current builder of that name")));
				}
				continue;
			}
			List<String> against = against(c, now);
			if (isStable && !against.isEmpty()) {
				remove.add(entry(c, against));
			}
			else if (!isStable && against.isEmpty()) {
				add.add(entry(c, inFavour(c)));
			}
		}
		return new StableSetProposal(master, now, Durations.iso(this.properties.stableAfter()),
				this.properties.stableMinBuilds(), stable, add, remove);
	}

	/** Why the builder has not earned its place; empty when it has. */
	private List<String> against(Candidate c, Instant now) {
		String window = Durations.iso(this.properties.stableAfter());
		List<String> reasons = new ArrayList<>();
		int builds = c.windowResults().size();
		long red = builds - green(c);
		if (red > 0) {
			reasons.add(red + " of " + builds + " builds within " + window + " failed");
		}
		c.hostFailures()
			.forEach((worker, n) -> reasons.add(n + " of them failed on " + worker + state(c, worker) + " and "
					+ ((n == 1) ? "is" : "are") + " counted against that host: fix the host, or take it off this builder"));
		if (builds < this.properties.stableMinBuilds()) {
			reasons.add("only " + builds + " builds within " + window + " (at least "
					+ this.properties.stableMinBuilds() + " needed)");
		}
		Instant since = now.minus(this.properties.stableAfter());
		if (c.firstBuildStarted() == null || c.firstBuildStarted().isAfter(since)) {
			reasons.add((c.firstBuildStarted() != null)
					? "building only since " + c.firstBuildStarted() + ", less than " + window
					: "has never built");
		}
		if (c.workers().isEmpty()) {
			reasons.add("no worker serves it");
		}
		for (WorkerFacts w : c.workers()) {
			if (w.state() != WorkerState.HEALTHY) {
				reasons.add("worker " + w.name() + " is " + w.state().label());
			}
		}
		return reasons;
	}

	private static String state(Candidate c, String worker) {
		return c.workers()
			.stream()
			.filter((w) -> w.name().equals(worker))
			.findFirst()
			.map((w) -> " (" + w.state().label() + ")")
			.orElse("");
	}

	private List<String> inFavour(Candidate c) {
		return List.of(
				"all " + c.windowResults().size() + " builds within " + Durations.iso(this.properties.stableAfter())
						+ " passed",
				"building since " + c.firstBuildStarted(),
				"served by healthy " + String.join(", ", c.workers().stream().map(WorkerFacts::name).toList()));
	}

	private static int green(Candidate c) {
		return (int) c.windowResults().stream().filter(BuildResult::passed).count();
	}

	private static StableSetProposal.Entry entry(Candidate c, List<String> reasons) {
		return new StableSetProposal.Entry(c.name(), c.stableBecause(), c.windowResults().size(), green(c),
				c.workers().stream().map(WorkerFacts::name).toList(), reasons);
	}

}
