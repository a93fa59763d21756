package org.fleethealth.health;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.source.BuildResult;

/**
 * Workers that share a builder, compared with each other. Each revision usually builds once per builder, on one
 * worker of its pool, so a worker's failure is compared with its pool mates' builds of the same revision where
 * there are any, else with the mates' builds just before and after it. A worker whose failures on a builder
 * concentrate on it (far more than its mates' rate explains) is a broken host, even if it never passes; failures
 * spread over the pool are the build's (a flaky test).
 */
final class Pools {

	private final Round round;

	private final Map<Long, List<Pair>> byWorker = new HashMap<>();

	/**
	 * @param round the master's window
	 * @param comparable the builds that say something about the builder: passes, and failures that are neither the
	 * host's for other reasons nor a code break
	 */
	Pools(Round round, Predicate<BuildFacts> comparable) {
		this.round = round;
		for (Long builderId : round.builders()) {
			List<BuildFacts> builds = new ArrayList<>();
			// Each worker's comparable builds on the builder, by their index in builds: one pass over the builder,
			// not one per worker (a pool of k workers made it k passes).
			Map<Long, List<Integer>> own = new LinkedHashMap<>();
			int failures = 0;
			for (BuildFacts b : round.onBuilder(builderId)) {
				if (b.workerId() != null && comparable.test(b)) {
					own.computeIfAbsent(b.workerId(), (k) -> new ArrayList<>()).add(builds.size());
					builds.add(b);
					failures += BuildResult.passed(b.results()) ? 0 : 1;
				}
			}
			if (own.size() < 2) {
				continue;
			}
			for (Map.Entry<Long, List<Integer>> worker : own.entrySet()) {
				this.byWorker.computeIfAbsent(worker.getKey(), (k) -> new ArrayList<>())
					.add(pair(builderId, worker.getKey(), builds, worker.getValue(), failures, own.keySet()));
			}
		}
	}

	/** The worker's shared builders (with builds by other workers in the window), each with its comparison. */
	List<Pair> of(long worker) {
		return this.byWorker.getOrDefault(worker, List.of());
	}

	/** Whether the worker's builds on the builder were compared with other workers' builds. */
	boolean shared(long worker, long builderId) {
		return of(worker).stream().anyMatch((p) -> p.builderId() == builderId);
	}

	/**
	 * @param builds the builder's comparable builds, oldest first
	 * @param mine the indexes of the worker's own among them
	 * @param failures how many of them all failed
	 * @param workers every worker that built it, in order of their first build
	 */
	private Pair pair(long builderId, long worker, List<BuildFacts> builds, List<Integer> mine, int failures,
			Set<Long> workers) {
		int x = 0;
		List<Suspect> suspects = new ArrayList<>();
		for (int i : mine) {
			BuildFacts b = builds.get(i);
			if (!BuildResult.passed(b.results())) {
				x++;
				List<BuildFacts> passedOn = passedElsewhere(builds, i);
				if (!passedOn.isEmpty()) {
					suspects.add(new Suspect(b, passedOn));
				}
			}
		}
		List<Long> mates = new ArrayList<>(workers);
		mates.remove(Long.valueOf(worker));
		return new Pair(builderId, worker, mine.size(), x, builds.size() - mine.size(), failures - x,
				List.copyOf(mates), suspects);
	}

	/**
	 * The mates' builds that show the builder was fine when this one failed: those of the same revision if the
	 * mates built it (and passed it more often than not), else the nearest before and after (all passed); empty
	 * if they do not show that.
	 */
	private List<BuildFacts> passedElsewhere(List<BuildFacts> builds, int index) {
		BuildFacts failed = builds.get(index);
		String key = this.round.revisionKey(failed);
		List<BuildFacts> same = new ArrayList<>();
		if (key != null) {
			for (BuildFacts b : builds) {
				if (!Objects.equals(b.workerId(), failed.workerId()) && key.equals(this.round.revisionKey(b))) {
					same.add(b);
				}
			}
		}
		if (!same.isEmpty()) {
			List<BuildFacts> passed = same.stream().filter((b) -> BuildResult.passed(b.results())).toList();
			return (passed.size() * 2 > same.size()) ? passed : List.of();
		}
		List<BuildFacts> around = new ArrayList<>(2);
		nearest(builds, index, -1, failed.workerId(), around);
		nearest(builds, index, +1, failed.workerId(), around);
		boolean allPassed = !around.isEmpty() && around.stream().allMatch((b) -> BuildResult.passed(b.results()));
		return allPassed ? around : List.of();
	}

	private static void nearest(List<BuildFacts> builds, int from, int step, Long self, List<BuildFacts> into) {
		for (int i = from + step; i >= 0 && i < builds.size(); i += step) {
			if (!Objects.equals(builds.get(i).workerId(), self)) {
				into.add(builds.get(i));
				return;
			}
		}
	}

	/**
	 * One worker on one shared builder over the window.
	 *
	 * @param builds the worker's comparable builds on it
	 * @param failures how many of them failed
	 * @param mateBuilds the other workers' comparable builds on it
	 * @param mateFailures how many of those failed
	 * @param mates the other workers that built it
	 * @param suspects the worker's failures that its mates' builds show the builder did not share
	 */
	record Pair(long builderId, long worker, int builds, int failures, int mateBuilds, int mateFailures,
			List<Long> mates, List<Suspect> suspects) {

		/**
		 * How likely this many failures would be at the mates' failure rate (smoothed, so that a few green builds
		 * of the mates are not taken for a rate of zero).
		 */
		double chance() {
			return Binomial.tail(this.failures, this.builds, (this.mateFailures + 1.0) / (this.mateBuilds + 2.0));
		}

	}

	/** A failure of the worker, and the mates' builds that passed around it (or the same revision). */
	record Suspect(BuildFacts build, List<BuildFacts> passedOn) {
	}

	/** Suspects grouped by their failing step, most frequent first. */
	static Map<String, List<Suspect>> byStep(List<Pair> pairs) {
		Map<String, List<Suspect>> byStep = new LinkedHashMap<>();
		for (Pair pair : pairs) {
			for (Suspect s : pair.suspects()) {
				byStep.computeIfAbsent(Objects.toString(s.build().failingStep(), ""), (k) -> new ArrayList<>()).add(s);
			}
		}
		return byStep;
	}

}
