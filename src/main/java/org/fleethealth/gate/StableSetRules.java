package org.fleethealth.gate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.fleethealth.system.Durations;
import org.fleethealth.source.BuildResult;
import org.fleethealth.gate.GateFacts.Candidate;
import org.fleethealth.gate.GateFacts.WorkerFacts;
import org.fleethealth.health.WorkerState;

/**
 * Works out which builders have earned a place in the stable set, and which have lost it. To join, a builder
 * needs at least {@code stable-min-builds} builds within {@code stable-after}, every one of them green (success or
 * warnings), to be known for at least that long, and every worker that serves it healthy now. CPython's rule of
 * thumb is about ten builds, ideally a week. To leave, it takes more: more than {@code stable-max-failures} failed
 * builds, a worker with a broken host (flaky-host), or no worker left that is connected. A worker failing a build
 * of another builder, paused or on a master that does not answer says nothing about this builder: a
 * CPython-shaped trial proposed all-green builders for removal because their worker failed elsewhere.
 * <p>
 * Code breaks and builds the master ended are not counted either way: a commit that broke every builder proposed
 * every stable builder for removal (the same trial: 616 of 616). Any other failure counts. Failures the classifier
 * counts against a host that is not healthy are named with the host: fix it, or take it off the builder.
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
			if (isStable) {
				List<String> against = againstStaying(c, now);
				if (!against.isEmpty()) {
					remove.add(entry(c, against));
				}
			}
			else if (againstJoining(c, now).isEmpty()) {
				add.add(entry(c, inFavour(c)));
			}
		}
		return new StableSetProposal(master, now, Durations.iso(this.properties.stableAfter()),
				this.properties.stableMinBuilds(), stable, add, remove);
	}

	/** Why a builder not in the set has not earned its place; empty when it has. */
	private List<String> againstJoining(Candidate c, Instant now) {
		List<String> reasons = new ArrayList<>();
		failures(c, 0).ifPresent(reasons::add);
		common(c, now, reasons);
		c.workers()
			.stream()
			.filter((w) -> w.state() != WorkerState.HEALTHY)
			.forEach((w) -> reasons.add("worker " + w.name() + " is " + w.state().label()));
		return reasons;
	}

	/** Why a builder of the set should leave it; empty when it keeps its place. */
	private List<String> againstStaying(Candidate c, Instant now) {
		List<String> reasons = new ArrayList<>();
		failures(c, this.properties.stableMaxFailures()).ifPresent(reasons::add);
		reasons.addAll(brokenHosts(c));
		common(c, now, reasons);
		longOffline(c, now).ifPresent(reasons::add);
		return reasons;
	}

	/** What joining and staying both need: enough builds, long enough, a worker. */
	private void common(Candidate c, Instant now, List<String> reasons) {
		tooFewBuilds(c).ifPresent(reasons::add);
		tooYoung(c, now).ifPresent(reasons::add);
		if (c.workers().isEmpty()) {
			reasons.add("no worker serves it");
		}
	}

	/** More failed builds within the window than {@code allowed}. */
	private Optional<String> failures(Candidate c, int allowed) {
		int builds = c.windowResults().size();
		long red = builds - green(c);
		if (red <= allowed) {
			return Optional.empty();
		}
		String failed = red + " of " + builds + " builds within " + Durations.human(this.properties.stableAfter())
				+ " failed";
		return Optional.of((allowed == 0) ? failed : failed + " (a stable builder may have " + allowed
				+ ": fleet-health.gate.stable-max-failures)");
	}

	/**
	 * Its workers with a broken host ({@code flaky-host}), and the failures the classifier counted against those
	 * hosts. A host failure on a worker in another state (failing-build on another builder, paused, offline) is an
	 * ordinary failure here: "fix the host" for one exception in 94 builds of a failing-build worker was a trial's
	 * finding.
	 */
	private static List<String> brokenHosts(Candidate c) {
		List<String> reasons = new ArrayList<>();
		for (WorkerFacts w : c.workers()) {
			Integer failed = c.hostFailures().get(w.name());
			if (failed != null && w.state() == WorkerState.FLAKY_HOST) {
				reasons.add(failed + " of its builds failed on " + w.name() + " (" + w.state().label() + ") and "
						+ ((failed == 1) ? "is" : "are")
						+ " counted against that host: fix the host, or take it off this builder");
			}
			else if (w.state() == WorkerState.FLAKY_HOST) {
				reasons.add("worker " + w.name() + " is flaky-host");
			}
		}
		return reasons;
	}

	/**
	 * Every worker that serves it offline for {@code stable-after} or longer: it has not been able to build for as
	 * long as a builder must be green to join. One offline worker of a pool does not matter, nor does an outage of a
	 * few hours: every builder of CPython's has one worker, and a two-hour outage of one proposed removing its 42
	 * stable builders (a trial). A worker offline for a time not known counts as long.
	 */
	private Optional<String> longOffline(Candidate c, Instant now) {
		List<WorkerFacts> workers = c.workers();
		Instant longAgo = now.minus(this.properties.stableAfter());
		if (workers.isEmpty() || !workers.stream()
			.allMatch((w) -> w.state() == WorkerState.OFFLINE && (w.since() == null || !w.since().isAfter(longAgo)))) {
			return Optional.empty();
		}
		String longer = Durations.human(this.properties.stableAfter()) + " or longer";
		return Optional.of((workers.size() == 1)
				? "worker " + workers.get(0).name() + " has been offline for " + longer
				: "all " + workers.size() + " workers that serve it have been offline for " + longer);
	}

	private Optional<String> tooFewBuilds(Candidate c) {
		int builds = c.windowResults().size();
		if (builds >= this.properties.stableMinBuilds()) {
			return Optional.empty();
		}
		return Optional.of("only " + builds + " builds within " + Durations.human(this.properties.stableAfter())
				+ " (at least " + this.properties.stableMinBuilds() + " needed)");
	}

	private Optional<String> tooYoung(Candidate c, Instant now) {
		Instant since = now.minus(this.properties.stableAfter());
		if (c.firstBuildStarted() != null && !c.firstBuildStarted().isAfter(since)) {
			return Optional.empty();
		}
		return Optional.of((c.firstBuildStarted() != null) ? "building only since " + Durations.at(c.firstBuildStarted())
				+ ", less than " + Durations.human(this.properties.stableAfter()) : "has never built");
	}

	private List<String> inFavour(Candidate c) {
		return List.of(
				"all " + c.windowResults().size() + " builds within " + Durations.human(this.properties.stableAfter())
						+ " passed",
				"building since " + Durations.at(c.firstBuildStarted()),
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
