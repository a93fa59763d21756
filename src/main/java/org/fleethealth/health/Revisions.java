package org.fleethealth.health;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.source.BuildResult;

/**
 * How each revision fared on the builders that built it, on its branch: the measure of a code break. A revision
 * that failed on most of the builders that built it (across build classes) is the code's fault. Builders count
 * once each (passed if any of their builds of it passed), and the worker asking is left out, so a worker cannot
 * confirm its own failure. A builder that was failing already is no witness either ({@link #freshShare}): where
 * its run of failures in one step (on the worker that built it) takes in a revision the asking builder passed, it
 * fails whatever the code does (a platform failure), and three such builders made a host's own failures look like
 * the code's.
 */
final class Revisions {

	private final Map<String, Revision> byKey = new HashMap<>();

	// The revisions each builder passed, and each failed build's run of failures in one step on its builder and worker.
	private final Map<Long, Set<String>> passedOn = new HashMap<>();

	private final Map<Long, Run> runOf = new HashMap<>();

	/** The fresh-witness index of each revision asked about by {@link #freshShare}. */
	private final Map<String, FailureWitnesses> witnesses = new HashMap<>();

	/** {@link #passedAnywhere()}, once gathered. */
	private Set<String> passedAnywhere;

	/**
	 * A builder's consecutive failures in one step on one worker (host failures and builds of no revision passed
	 * over): on a shared builder, a pool mate whose host fails every build does not make the builder "failing
	 * already" for the others.
	 */
	private record BuilderWorker(long builder, long worker) {
	}

	private static final class Run {

		private final String step;

		private final Set<String> revisions = new HashSet<>();

		Run(String step) {
			this.step = step;
		}

		/**
		 * Whether none of the run's revisions is good. A run is a few revisions and the good ones may be every revision
		 * of the window, so the run's are the ones walked.
		 */
		boolean takesNoneOf(Predicate<String> good) {
			for (String revision : this.revisions) {
				if (good.test(revision)) {
					return false;
				}
			}
			return true;
		}

	}

	/**
	 * @param round the master's window
	 * @param judged whether a build counts for its revision: passed, or failed in a step that is not the host's
	 */
	Revisions(Round round, Predicate<BuildFacts> judged) {
		Map<BuilderWorker, Run> current = new HashMap<>();
		for (BuildFacts b : round.builds) {
			String key = round.revisionKey(b);
			if (key == null || b.workerId() == null || !judged.test(b)) {
				continue;
			}
			this.byKey.computeIfAbsent(key, (k) -> new Revision()).add(b);
			BuilderWorker on = new BuilderWorker(b.builderId(), b.workerId());
			if (BuildResult.passed(b.results())) {
				this.passedOn.computeIfAbsent(b.builderId(), (k) -> new HashSet<>()).add(key);
				current.remove(on);
			}
			else {
				Run run = current.get(on);
				if (run == null || !Objects.equals(run.step, b.failingStep())) {
					run = new Run(b.failingStep());
					current.put(on, run);
				}
				run.revisions.add(key);
				this.runOf.put(b.id(), run);
			}
		}
	}

	/**
	 * What the builders other than the asking worker's did with the build's revision, leaving out the failures of
	 * builders that were failing already: those whose run of failures in one step takes in a revision known good
	 * for the build's builder ({@link #goodRevisions}). Asked only where {@link #share} finds a code break. The
	 * builders the asking worker built are walked; the others are counted by {@link FailureWitnesses}, made once per
	 * revision.
	 */
	Share freshShare(Round round, BuildFacts build) {
		String key = round.revisionKey(build);
		Revision revision = (key != null) ? this.byKey.get(key) : null;
		if (revision == null) {
			return new Share(0, 0);
		}
		FailureWitnesses.Good good = goodRevisions(build.builderId(), key);
		List<Long> own = revision.buildersOf.getOrDefault(build.workerId(), List.of());
		int failed = this.witnesses.computeIfAbsent(key, (k) -> witnesses(k, revision)).fresh(good, own);
		for (Long builder : own) {
			Results results = revision.byBuilder.get(builder);
			if (results.status(build.workerId()) <= 0 && results.failedFresh(build.workerId(), (id) -> {
				Run run = this.runOf.get(id);
				return run == null || run.takesNoneOf(good);
			})) {
				failed++;
			}
		}
		return new Share(revision.without(build.workerId()).passed(), failed);
	}

	/** The builders that failed the revision and passed it nowhere, with the runs of their failed builds of it. */
	private FailureWitnesses witnesses(String key, Revision revision) {
		Map<Long, List<Set<String>>> runs = new HashMap<>();
		revision.byBuilder.forEach((builder, results) -> {
			if (results.passedBy.isEmpty() && !results.failedBuilds.isEmpty()) {
				List<Set<String>> of = new ArrayList<>(results.failedBuilds.size());
				for (Long id : results.failedBuilds) {
					Run run = this.runOf.get(id);
					of.add((run != null) ? run.revisions : null);
				}
				runs.put(builder, of);
			}
		});
		return new FailureWitnesses(key, runs);
	}

	/**
	 * The revisions known good for the asking builder: those it passed; for a builder that passed nothing in the
	 * window (failing all along), those that passed anywhere, but the one asked about.
	 */
	private FailureWitnesses.Good goodRevisions(long builderId, String asked) {
		Set<String> passed = this.passedOn.get(builderId);
		if (passed != null && !passed.isEmpty()) {
			return new FailureWitnesses.Good(passed, null);
		}
		return new FailureWitnesses.Good(passedAnywhere(), asked);
	}

	/**
	 * Every revision that passed on some builder, gathered once, when first asked: it was gathered anew for every
	 * failed build of a builder failing all along, most of a round's time at 10,000 workers (bench/RESULTS.md).
	 */
	private Set<String> passedAnywhere() {
		if (this.passedAnywhere == null) {
			Set<String> anywhere = new HashSet<>();
			this.passedOn.values().forEach(anywhere::addAll);
			this.passedAnywhere = anywhere;
		}
		return this.passedAnywhere;
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
			results.add(b.workerId(), b.id(), BuildResult.passed(b.results()));
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

		// The failed builds' ids, in step with failedBy.
		private final List<Long> failedBuilds = new ArrayList<>(1);

		void add(Long worker, long build, boolean passed) {
			(passed ? this.passedBy : this.failedBy).add(worker);
			if (!passed) {
				this.failedBuilds.add(build);
			}
		}

		/** Whether a worker other than the given one failed it in a build that passes the test. */
		boolean failedFresh(Long without, java.util.function.LongPredicate fresh) {
			for (int i = 0; i < this.failedBy.size(); i++) {
				if (!this.failedBy.get(i).equals(without) && fresh.test(this.failedBuilds.get(i))) {
					return true;
				}
			}
			return false;
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
