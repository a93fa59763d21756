package org.fleethealth.health;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.health.Facts.BuilderFacts;
import org.fleethealth.source.BuildResult;

/**
 * The peers of a build: builds of the same revision (on the same branch) on other workers, on the same builder or
 * on a builder sharing a build class. The results depend only on the revision and the builder's classes (less the build's own
 * worker), so they are computed once per revision and class set: a code break fails hundreds of builds of one
 * revision, and a large fleet builds each revision on thousands of builders.
 *
 * <p>
 * Arrays and class bit sets rather than maps and sets of names: this was most of a classification round's CPU
 * time at 10,000 workers (bench/NOTES.md), one hash lookup per peer build per class set.
 */
final class Peers {

	private static final Revision NO_REVISION = new Revision(List.of(), Map.of());

	private final Map<String, List<BuildFacts>> byRevision = new HashMap<>();

	private final Map<String, Revision> revisions = new HashMap<>();

	private final Map<Long, BuilderFacts> builders;

	// Each build class a bit, each builder the set of its classes' bits.
	private final Map<String, Integer> classBits = new HashMap<>();

	private final List<String> classNames = new ArrayList<>();

	private final Map<Long, BitSet> builderClasses = new HashMap<>();

	private final Map<Key, RevisionResults> results = new HashMap<>();

	private final Function<BuildFacts, String> revisionKey;

	/**
	 * @param builds the window's finished builds
	 * @param builders the master's builders by id
	 * @param revisionKey a build's revision on its branch ({@link Round#revisionKey}): builds of other branches
	 * are no peers
	 */
	Peers(List<BuildFacts> builds, Map<Long, BuilderFacts> builders, Function<BuildFacts, String> revisionKey) {
		this.builders = builders;
		this.revisionKey = revisionKey;
		for (BuildFacts b : builds) {
			String key = revisionKey.apply(b);
			if (key != null && b.workerId() != null) {
				this.byRevision.computeIfAbsent(key, (r) -> new ArrayList<>()).add(b);
			}
		}
	}

	/** What the peers of this build did with its revision. */
	Results results(BuildFacts build) {
		String revisionKey = this.revisionKey.apply(build);
		if (revisionKey == null) {
			return new Results(new RevisionResults(NO_REVISION, null), build.workerId());
		}
		BitSet classes = classes(build.builderId());
		// Without classes, only the same builder's builds are peers.
		Key key = new Key(revisionKey, classes.isEmpty() ? (Object) build.builderId() : classes);
		RevisionResults computed = this.results.computeIfAbsent(key,
				(k) -> compute(revision(revisionKey), build.builderId(), classes));
		return new Results(computed, build.workerId());
	}

	private RevisionResults compute(Revision revision, long builderId, BitSet classes) {
		int[] wanted = classes.stream().toArray();
		RevisionResults results = new RevisionResults(revision, wanted);
		for (int i = 0; i < revision.size(); i++) {
			if (classes.isEmpty() ? revision.builder[i] == builderId : revision.classes[i].intersects(classes)) {
				results.add(i);
			}
		}
		return results;
	}

	private Revision revision(String revision) {
		return this.revisions.computeIfAbsent(revision, (r) -> {
			List<BuildFacts> judged = new ArrayList<>();
			for (BuildFacts b : this.byRevision.getOrDefault(r, List.of())) {
				// Only passes and failures say anything about a revision; exceptions, skips and the rest do not.
				if (BuildResult.passed(b.results()) || BuildResult.FAILURE.is(b.results())) {
					judged.add(b);
				}
			}
			Map<Long, BitSet> classes = new HashMap<>();
			judged.forEach((b) -> classes.put(b.builderId(), classes(b.builderId())));
			return new Revision(judged, classes);
		});
	}

	private BitSet classes(long builderId) {
		return this.builderClasses.computeIfAbsent(builderId, (id) -> {
			BitSet bits = new BitSet();
			BuilderFacts builder = this.builders.get(id);
			Set<String> names = (builder != null) ? builder.classes() : Set.of();
			for (String name : names) {
				bits.set(this.classBits.computeIfAbsent(name, (n) -> {
					this.classNames.add(n);
					return this.classNames.size() - 1;
				}));
			}
			return bits;
		});
	}

	/** The results of a revision for a class set (a {@link BitSet}) or, when it has none, a builder id. */
	private record Key(String revision, Object scope) {
	}

	/**
	 * The judged builds (passed or failed) of one revision as parallel arrays, with their workers numbered from
	 * 0 so results can be kept in an array.
	 */
	private static final class Revision {

		final long[] workers;

		final int[] worker;

		final boolean[] passed;

		final long[] builder;

		final BitSet[] classes;

		final Map<Long, Integer> index = new HashMap<>();

		Revision(List<BuildFacts> builds, Map<Long, BitSet> builderClasses) {
			int n = builds.size();
			this.worker = new int[n];
			this.passed = new boolean[n];
			this.builder = new long[n];
			this.classes = new BitSet[n];
			List<Long> workers = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				BuildFacts b = builds.get(i);
				this.worker[i] = this.index.computeIfAbsent(b.workerId(), (w) -> {
					workers.add(w);
					return workers.size() - 1;
				});
				this.passed[i] = BuildResult.passed(b.results());
				this.builder[i] = b.builderId();
				this.classes[i] = builderClasses.get(b.builderId());
			}
			this.workers = workers.stream().mapToLong(Long::longValue).toArray();
		}

		int size() {
			return this.worker.length;
		}

	}

	/**
	 * The results of one revision among the builds of one set of build classes, by worker: passed if any of its
	 * builds passed, failed if one failed and none passed.
	 */
	private static final class RevisionResults {

		private static final byte FAILED = 1;

		private static final byte PASSED = 2;

		final Revision revision;

		// By the revision's worker number: 0 no judged build, else FAILED or PASSED.
		final byte[] byWorker;

		int judged;

		int passed;

		// The wanted class bits, and for each up to two workers whose builds of it passed or failed: enough to
		// tell whether any worker other than the one asking has it.
		final int[] wanted;

		final int[][] contributors;

		RevisionResults(Revision revision, int[] wanted) {
			this.revision = revision;
			this.byWorker = new byte[revision.workers.length];
			this.wanted = (wanted != null) ? wanted : new int[0];
			this.contributors = new int[this.wanted.length][];
		}

		void add(int build) {
			int worker = this.revision.worker[build];
			boolean ok = this.revision.passed[build];
			byte before = this.byWorker[worker];
			if (before == 0) {
				this.byWorker[worker] = ok ? PASSED : FAILED;
				this.judged++;
				this.passed += ok ? 1 : 0;
			}
			else if (ok && before == FAILED) {
				this.byWorker[worker] = PASSED;
				this.passed++;
			}
			BitSet classes = this.revision.classes[build];
			for (int c = 0; c < this.wanted.length; c++) {
				if (classes.get(this.wanted[c])) {
					int[] workers = this.contributors[c];
					if (workers == null) {
						this.contributors[c] = new int[] { worker };
					}
					else if (workers.length == 1 && workers[0] != worker) {
						this.contributors[c] = new int[] { workers[0], worker };
					}
				}
			}
		}

		/** The worker's result: 0 none, {@link #FAILED} or {@link #PASSED}. */
		byte of(Long worker) {
			Integer index = (worker != null) ? this.revision.index.get(worker) : null;
			return (index != null) ? this.byWorker[index] : 0;
		}

	}

	/**
	 * What the peers of one build did with its revision: how many passed or failed it, and the build classes
	 * they share with it. A view of the revision's results for the build's classes, minus its own worker.
	 */
	final class Results {

		private final RevisionResults results;

		private final Long self;

		private final int passed;

		private final int failed;

		private Results(RevisionResults results, Long self) {
			this.results = results;
			this.self = self;
			byte own = results.of(self);
			this.passed = results.passed - ((own == RevisionResults.PASSED) ? 1 : 0);
			this.failed = results.judged - results.passed - ((own == RevisionResults.FAILED) ? 1 : 0);
		}

		int passed() {
			return this.passed;
		}

		int failed() {
			return this.failed;
		}

		/** Adds the master's ids of the other workers that passed the revision. */
		void addPassedTo(Set<Long> workers) {
			long[] ids = this.results.revision.workers;
			for (int i = 0; i < ids.length; i++) {
				if (this.results.byWorker[i] == RevisionResults.PASSED && !Long.valueOf(ids[i]).equals(this.self)) {
					workers.add(ids[i]);
				}
			}
		}

		/** Classes some other worker's passing or failing build shares with this one, sorted. */
		Set<String> classes() {
			Set<String> shared = new TreeSet<>();
			long[] ids = this.results.revision.workers;
			for (int c = 0; c < this.results.wanted.length; c++) {
				int[] workers = this.results.contributors[c];
				if (workers == null) {
					continue;
				}
				for (int w : workers) {
					if (!Long.valueOf(ids[w]).equals(this.self)) {
						shared.add(Peers.this.classNames.get(this.results.wanted[c]));
						break;
					}
				}
			}
			return shared;
		}

	}

}
