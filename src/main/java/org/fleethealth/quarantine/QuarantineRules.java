package org.fleethealth.quarantine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The safety valve: whether a quarantine must be refused, first rule that applies (one method each). Plain Java:
 * the facts come in a {@link Case}.
 * <ol>
 * <li>{@link #codeBreak}: at least half of its recent host failures (and at least one) are on revisions that also
 * failed on most of its peers (workers sharing a build class with it) that built them, in the same step: a code
 * break is not a host problem;</li>
 * <li>{@link #stableBuilder}: a stable builder it serves would have no other connected, unpaused worker;</li>
 * <li>{@link #classShare}: more than {@code max-share} of a build class's workers would be quarantined by
 * fleet-health at once;</li>
 * <li>{@link #masterShare}: more than {@code max-share} of the master's workers would be.</li>
 * </ol>
 * Workers paused by someone else count in no share: only fleet-health's own quarantines do.
 */
class QuarantineRules {

	private final double maxShare;

	private final List<Function<Case, Verdict>> rules = List.of(this::codeBreak, this::stableBuilder,
			this::classShare, this::masterShare);

	QuarantineRules(double maxShare) {
		this.maxShare = maxShare;
	}

	/** The first refusal, or empty when the quarantine may go ahead. */
	Optional<Verdict> check(Case c) {
		return this.rules.stream().map((rule) -> rule.apply(c)).filter((v) -> v != null).findFirst();
	}

	/**
	 * {@code code-break}: its recent host failures are the code's, since most of its peers that built the same
	 * revisions failed them too. One peer failing a revision that others passed is that peer's trouble, not the
	 * code's (a trial: a worker's own broken test made its class peer's quarantine read as a code break).
	 */
	Verdict codeBreak(Case c) {
		List<String> shared = new ArrayList<>();
		for (Failure f : c.hostFailures()) {
			List<Failure> failed = c.peerFailures()
				.getOrDefault(f.revision(), List.of())
				.stream()
				.filter((p) -> !p.worker().equals(c.worker()) && sameStep(f, p))
				.toList();
			Set<String> failing = failed.stream().map(Failure::worker).collect(Collectors.toSet());
			long passing = c.peerPasses()
				.getOrDefault(f.revision(), Set.of())
				.stream()
				.filter((w) -> !w.equals(c.worker()) && !failing.contains(w))
				.count();
			if (!failed.isEmpty() && failing.size() > passing) {
				Failure p = failed.get(0);
				shared.add(abbreviate(f.revision()) + " on " + p.worker() + " ('" + p.builder() + "'"
						+ ((p.step() != null) ? ", step '" + p.step() + "'" : "") + ")");
			}
		}
		if (shared.isEmpty() || shared.size() * 2 < c.hostFailures().size()) {
			return null;
		}
		return new Verdict(Refusal.CODE_BREAK, shared.size() + " of its last " + c.hostFailures().size()
				+ " host failures were on revisions that also failed on its peers: " + String.join(", ", shared)
				+ "; a code break is not a host problem");
	}

	/** {@code stable-builder}: a stable builder would be left with no connected, unpaused worker. */
	Verdict stableBuilder(Case c) {
		return c.stableBuilders()
			.entrySet()
			.stream()
			.filter((e) -> e.getValue().isEmpty())
			.map(Map.Entry::getKey)
			.sorted()
			.findFirst()
			.map((b) -> new Verdict(Refusal.STABLE_BUILDER, "the stable builder '" + b
					+ "' would have no connected, unpaused worker left"))
			.orElse(null);
	}

	/** {@code class-share}: too many of a build class's workers would be quarantined by fleet-health at once. */
	Verdict classShare(Case c) {
		return c.classMembers()
			.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.map((e) -> share(c, e.getValue(), "build class '" + e.getKey() + "'", Refusal.CLASS_SHARE))
			.filter((v) -> v != null)
			.findFirst()
			.orElse(null);
	}

	/** {@code master-share}: too many of the master's workers would be quarantined by fleet-health at once. */
	Verdict masterShare(Case c) {
		return share(c, c.masterWorkers(), "master '" + c.master() + "'", Refusal.MASTER_SHARE);
	}

	private Verdict share(Case c, Set<String> members, String of, Refusal refusal) {
		if (members.isEmpty()) {
			return null;
		}
		// The worker and the held ones among the members: the held are few, the members may be the whole master.
		int count = 1 + (int) c.quarantined()
			.stream()
			.filter((w) -> !w.equals(c.worker()) && members.contains(w))
			.count();
		double share = (double) count / members.size();
		if (share <= this.maxShare) {
			return null;
		}
		return new Verdict(refusal, "quarantining it would hold " + count + " of the " + members.size()
				+ " workers of " + of + " quarantined by fleet-health at once ("
				+ String.format(Locale.ROOT, "%.2f > max-share %.2f", share, this.maxShare) + ")");
	}

	private static boolean sameStep(Failure a, Failure b) {
		return a.step() == null || b.step() == null || a.step().equals(b.step());
	}

	private static String abbreviate(String revision) {
		return (revision.length() > 10) ? revision.substring(0, 10) : revision;
	}

	/**
	 * What the valve looks at.
	 *
	 * @param master the watched master's name
	 * @param worker the worker to quarantine
	 * @param hostFailures its latest host failures with a revision, newest first (at most {@code recent-failures})
	 * @param peerFailures red builds of its peers (workers sharing a build class with it) on the revisions of its
	 * host failures, newest first, by revision
	 * @param peerPasses the peers that passed each of those revisions
	 * @param stableBuilders each stable builder it serves, with the other workers of it that are connected, unpaused
	 * and not quarantined
	 * @param quarantined the workers of the master that fleet-health holds quarantined now
	 * @param classMembers each build class of the worker, with the master's workers of that class
	 * @param masterWorkers the master's configured workers
	 */
	record Case(String master, String worker, List<Failure> hostFailures,
			Map<String, List<Failure>> peerFailures, Map<String, Set<String>> peerPasses,
			Map<String, List<String>> stableBuilders, Set<String> quarantined, Map<String, Set<String>> classMembers,
			Set<String> masterWorkers) {

		/** A case without peers' passes: every peer failure of a revision is then most of its peers. */
		Case(String master, String worker, List<Failure> hostFailures, Map<String, List<Failure>> peerFailures,
				Map<String, List<String>> stableBuilders, Set<String> quarantined,
				Map<String, Set<String>> classMembers, Set<String> masterWorkers) {
			this(master, worker, hostFailures, peerFailures, Map.of(), stableBuilders, quarantined, classMembers,
					masterWorkers);
		}

	}

	/**
	 * A red build.
	 *
	 * @param step its first failing step, or {@code null} when not read (yet)
	 */
	record Failure(String worker, String builder, String revision, String step) {
	}

	/** A refusal and why, in words for the proposal and the log. */
	record Verdict(Refusal refusal, String why) {
	}

}
