package org.fleethealth.health;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.source.BuildResult;

/**
 * How each revision fared on the builders that built it, on its branch: the measure of a code break. A revision
 * that failed on most of the builders that built it (across build classes) is the code's fault. Builders count
 * once each (passed if any of their builds of it passed), and the worker asking is left out, so a worker cannot
 * confirm its own failure.
 */
final class Revisions {

	private final Map<String, Revision> byKey = new HashMap<>();

	/**
	 * @param round the master's window
	 * @param judged whether a build counts for its revision: passed, or failed in a step that is not the host's
	 */
	Revisions(Round round, java.util.function.Predicate<BuildFacts> judged) {
		for (BuildFacts b : round.builds) {
			String key = round.revisionKey(b);
			if (key == null || b.workerId() == null || !judged.test(b)) {
				continue;
			}
			this.byKey.computeIfAbsent(key, (k) -> new Revision()).add(b);
		}
	}

	/** What the builders other than the asking worker's did with the build's revision. */
	Share share(Round round, BuildFacts build) {
		String key = round.revisionKey(build);
		Revision revision = (key != null) ? this.byKey.get(key) : null;
		return (revision != null) ? revision.without(build.workerId()) : new Share(0, 0);
	}

	/** Of the builders that built a revision (without the asking worker): how many passed and failed it. */
	record Share(int passed, int failed) {

		int judged() {
			return this.passed + this.failed;
		}

		double failedShare() {
			return (judged() == 0) ? 0 : (double) this.failed / judged();
		}

	}

	/** One revision on one branch: per builder the workers that passed and failed it. */
	private static final class Revision {

		private final Map<Long, Results> byBuilder = new HashMap<>();

		private final Map<Long, List<Long>> buildersOf = new HashMap<>();

		private int passed;

		private int failed;

		void add(BuildFacts b) {
			Results results = this.byBuilder.computeIfAbsent(b.builderId(), (k) -> new Results());
			int before = results.status(null);
			results.add(b.workerId(), BuildResult.passed(b.results()));
			count(before, -1);
			count(results.status(null), +1);
			List<Long> builders = this.buildersOf.computeIfAbsent(b.workerId(), (k) -> new ArrayList<>());
			if (!builders.contains(b.builderId())) {
				builders.add(b.builderId());
			}
		}

		private void count(int status, int delta) {
			if (status > 0) {
				this.passed += delta;
			}
			else if (status < 0) {
				this.failed += delta;
			}
		}

		// Only the builders the worker built need another look without it: a code break on a large fleet is
		// asked about once per failed build, so this must not walk every builder of the revision.
		Share without(Long worker) {
			int passed = this.passed;
			int failed = this.failed;
			for (Long builder : this.buildersOf.getOrDefault(worker, List.of())) {
				Results results = this.byBuilder.get(builder);
				int with = results.status(null);
				int without = results.status(worker);
				passed += ((without > 0) ? 1 : 0) - ((with > 0) ? 1 : 0);
				failed += ((without < 0) ? 1 : 0) - ((with < 0) ? 1 : 0);
			}
			return new Share(passed, failed);
		}

	}

	/** The workers that passed and failed one revision on one builder (usually one build). */
	private static final class Results {

		private final List<Long> passedBy = new ArrayList<>(1);

		private final List<Long> failedBy = new ArrayList<>(1);

		void add(Long worker, boolean passed) {
			(passed ? this.passedBy : this.failedBy).add(worker);
		}

		/** 1 passed, -1 failed, 0 not built, leaving out the given worker (or nobody for {@code null}). */
		int status(Long without) {
			if (anyBut(this.passedBy, without)) {
				return 1;
			}
			return anyBut(this.failedBy, without) ? -1 : 0;
		}

		// A loop, not a stream: asked twice per build of the window (70,000 at 10,000 workers) and per failed build.
		private static boolean anyBut(List<Long> workers, Long without) {
			for (Long w : workers) {
				if (!w.equals(without)) {
					return true;
				}
			}
			return false;
		}

	}

}
