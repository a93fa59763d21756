package org.fleethealth.health;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The builders that failed one revision and passed it nowhere, with the runs of failures their failed builds of it
 * belong to ({@link Revisions}): which of them are fresh witnesses of a code break for an asking builder, that is,
 * have a failed build whose run takes in no revision known good for the asker.
 * <p>
 * Every failed build of a code break asks this about every other builder of its revision: walked builder by builder,
 * that is n² per code break (29% of a no-change round at 10,000 workers, bench/NOTES.md). Here each builder with one
 * failed build of the revision (nearly all of them) is found from an index of the revisions its run takes in, so an
 * asker pays for the revisions it knows good, or for the index, whichever is smaller, and for the stale builders it
 * finds; the few builders with several failed builds of the revision are walked.
 */
final class FailureWitnesses {

	/**
	 * The revisions known good for an asking builder: {@code revisions}, but {@code except}.
	 *
	 * @param revisions a set that is not changed while it is asked about
	 * @param except a revision left out, or {@code null}
	 */
	record Good(Set<String> revisions, String except) implements Predicate<String> {

		@Override
		public boolean test(String revision) {
			return revisions.contains(revision) && !revision.equals(except);
		}

	}

	private final String revision;

	// Builders with one failed build of the revision, by index; the revisions their run takes in, but this one.
	private final List<Long> single = new ArrayList<>();

	private final Map<Long, Integer> singleIndex = new HashMap<>();

	private final Map<String, List<Integer>> singleByRevision = new HashMap<>();

	// Builders that cannot be stale (a failed build with no known run), and those with several failed builds.
	private final Set<Long> alwaysFresh = new HashSet<>();

	private final Map<Long, List<Set<String>>> several = new HashMap<>();

	// The stale single builders for the last Good that leaves a revision out: the builders that passed nothing all
	// ask the same question (every revision that passed anywhere, but this one).
	private Good anywhere;

	private BitSet staleForAnywhere;

	/**
	 * @param revision the revision (on its branch) the builders failed
	 * @param runs for each builder that failed the revision and passed it nowhere: the revisions of the run of each
	 * of its failed builds of it ({@code null} for a build with no known run: always fresh)
	 */
	FailureWitnesses(String revision, Map<Long, List<Set<String>>> runs) {
		this.revision = revision;
		runs.forEach((builder, builderRuns) -> {
			if (builderRuns.stream().anyMatch(Objects::isNull)) {
				this.alwaysFresh.add(builder);
			}
			else if (builderRuns.size() > 1) {
				this.several.put(builder, builderRuns);
			}
			else if (!builderRuns.isEmpty()) {
				int index = this.single.size();
				this.single.add(builder);
				this.singleIndex.put(builder, index);
				for (String r : builderRuns.get(0)) {
					if (!r.equals(revision)) {
						this.singleByRevision.computeIfAbsent(r, (k) -> new ArrayList<>()).add(index);
					}
				}
			}
		});
	}

	/**
	 * How many of the builders, but those left out, have a failed build of the revision whose run takes in no good
	 * revision.
	 *
	 * @param good the revisions known good for the asking builder
	 * @param leftOut builders not to count (the asking worker's, which the caller judges without it)
	 */
	int fresh(Good good, Collection<Long> leftOut) {
		int fresh = this.alwaysFresh.size();
		for (Long builder : leftOut) {
			fresh -= this.alwaysFresh.contains(builder) ? 1 : 0;
		}
		for (Map.Entry<Long, List<Set<String>>> entry : this.several.entrySet()) {
			if (!leftOut.contains(entry.getKey())
					&& entry.getValue().stream().anyMatch((run) -> takesNoneOf(run, good))) {
				fresh++;
			}
		}
		// Every run holds the revision itself: where it is good for the asker, every single builder is stale.
		if (good.test(this.revision)) {
			return fresh;
		}
		// Counted, not walked: the single builders less the stale ones, less those left out that are not stale.
		BitSet stale = stale(good);
		fresh += this.single.size() - stale.cardinality();
		for (Long builder : leftOut) {
			Integer index = this.singleIndex.get(builder);
			fresh -= (index != null && !stale.get(index)) ? 1 : 0;
		}
		return fresh;
	}

	private BitSet stale(Good good) {
		if (good.except() == null) {
			return mark(good);
		}
		if (this.anywhere == null || this.anywhere.revisions() != good.revisions()
				|| !this.anywhere.except().equals(good.except())) {
			this.anywhere = good;
			this.staleForAnywhere = mark(good);
		}
		return this.staleForAnywhere;
	}

	// Walks the smaller side: the asker's good revisions, or the revisions the runs take in.
	private BitSet mark(Good good) {
		BitSet stale = new BitSet(this.single.size());
		if (good.revisions().size() < this.singleByRevision.size()) {
			for (String r : good.revisions()) {
				List<Integer> builders = this.singleByRevision.get(r);
				if (builders != null && good.test(r)) {
					builders.forEach(stale::set);
				}
			}
		}
		else {
			this.singleByRevision.forEach((r, builders) -> {
				if (good.test(r)) {
					builders.forEach(stale::set);
				}
			});
		}
		return stale;
	}

	private static boolean takesNoneOf(Set<String> run, Good good) {
		for (String r : run) {
			if (good.test(r)) {
				return false;
			}
		}
		return true;
	}

}
