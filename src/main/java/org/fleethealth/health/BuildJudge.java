package org.fleethealth.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.health.Judgements.Kind;
import org.fleethealth.source.BuildResult;
import org.fleethealth.system.Durations;
import org.fleethealth.system.Regexes;

/**
 * Judges every finished build of a round: whose fault each one is. In order:
 * <ol>
 * <li>success or warnings: a success;</li>
 * <li>ended by the master (a stop, a restart, an outage, several workers' builds ending together): interrupted,
 * nobody's fault;</li>
 * <li>exception or retry: the host's;</li>
 * <li>failed in an infrastructure step: the host's, unless most of the master's workers failed checkout within
 * {@code outage-span} (the repository's or the master's outage: interrupted);</li>
 * <li>failed on a revision that failed on most builders that built it on its branch: a code break;</li>
 * <li>failed on a shared builder, on a revision its pool mates passed, when its failures there concentrate on it
 * ({@code host-min-failures}, {@code concentration-significance}), or when it fails one step on most of its
 * shared builders this way: the host's;</li>
 * <li>failed on a builder it serves alone, on a revision its class peers passed, while its results there flip
 * between pass and fail ({@code intermittent-flips}): the host's (intermittent);</li>
 * <li>otherwise: a failure of the build (its builder's).</li>
 * </ol>
 * Skipped and cancelled builds say nothing.
 */
final class BuildJudge {

	private static final String INTERMITTENT = "intermittent: ";

	private final ClassificationProperties properties;

	private final List<Pattern> infrastructure;

	BuildJudge(ClassificationProperties properties) {
		this.properties = properties;
		this.infrastructure = Regexes.compile("fleet-health.classification.infrastructure-steps",
				properties.infrastructureSteps());
	}

	/** Whether a step's failure is the host's (a checkout, the worker's preparation). */
	boolean isInfrastructure(String step) {
		return step != null && this.infrastructure.stream().anyMatch((p) -> p.matcher(step).matches());
	}

	Judgements judge(Round round) {
		Judgements judged = new Judgements();
		MasterTrouble trouble = new MasterTrouble(round, this.properties);
		Outages outages = new Outages(round, this.properties, this::isInfrastructure);
		List<BuildFacts> candidates = new ArrayList<>();
		for (BuildFacts b : round.builds) {
			judgeEnding(b, trouble, outages, judged, candidates);
		}
		Revisions revisions = new Revisions(round, (b) -> BuildResult.passed(b.results())
				|| (BuildResult.FAILURE.is(b.results()) && !isInfrastructure(b.failingStep())));
		List<BuildFacts> failures = new ArrayList<>();
		for (BuildFacts b : candidates) {
			Revisions.Share share = revisions.share(round, b);
			if (codeBreak(share)) {
				// Only then are the builders that were failing already left out (a walk of the revision's builders).
				// Where no builder but those built the revision, they are the only evidence there is: kept.
				Revisions.Share fresh = revisions.freshShare(round, b);
				share = (fresh.judged() > 0) ? fresh : share;
			}
			if (codeBreak(share)) {
				judged.set(b.id(), Outcome.CODE_BREAK, Kind.CODE_BREAK, "revision " + shortRev(b.revision())
						+ " failed on " + share.failed() + " of " + share.judged() + " builders that built it");
			}
			else {
				failures.add(b);
			}
		}
		failures.forEach((b) -> judged.set(b.id(), Outcome.FAILURE, null, null));
		Pools pools = new Pools(round, (b) -> judged.outcome(b.id()) == Outcome.SUCCESS
				|| judged.outcome(b.id()) == Outcome.FAILURE);
		judgePools(round, pools, judged);
		judgeIntermittent(round, pools, failures, judged);
		return judged;
	}

	private boolean codeBreak(Revisions.Share share) {
		return share.failed() > 0 && share.failedShare() >= this.properties.codeBreakRatio();
	}

	private void judgeEnding(BuildFacts b, MasterTrouble trouble, Outages outages, Judgements judged,
			List<BuildFacts> candidates) {
		BuildResult result = BuildResult.of(b.results());
		if (result == null || result == BuildResult.SKIPPED) {
			return;
		}
		if (result.passed()) {
			judged.set(b.id(), Outcome.SUCCESS, null, null);
			return;
		}
		String byMaster = trouble.endedBuild(b);
		if (byMaster != null) {
			judged.set(b.id(), Outcome.INTERRUPTED, Kind.INTERRUPTED, byMaster);
			return;
		}
		switch (result) {
			case EXCEPTION -> judged.set(b.id(), Outcome.HOST_FAILURE, Kind.EXCEPTION, "exception");
			case RETRY -> judged.set(b.id(), Outcome.HOST_FAILURE, Kind.RETRY, "retry");
			case FAILURE -> judgeFailure(b, outages, judged, candidates);
			default -> {
				// cancelled by someone: says nothing about host or code
			}
		}
	}

	private void judgeFailure(BuildFacts b, Outages outages, Judgements judged, List<BuildFacts> candidates) {
		if (!b.stepsKnown()) {
			// Whose fault it is depends on the step it failed in: judged once its steps are read, moments later.
			return;
		}
		if (!isInfrastructure(b.failingStep())) {
			candidates.add(b);
			return;
		}
		String outage = outages.explain(b);
		if (outage != null) {
			judged.set(b.id(), Outcome.INTERRUPTED, Kind.INTERRUPTED, outage);
		}
		else {
			judged.set(b.id(), Outcome.HOST_FAILURE, Kind.INFRASTRUCTURE,
					"infrastructure step '" + b.failingStep() + "'");
		}
	}

	/** Concentration on one shared builder, then one step across most shared builders. */
	private void judgePools(Round round, Pools pools, Judgements judged) {
		// Every worker that built in the window, configured or not: one that a master restart briefly unlinked still
		// must not turn its host failures into a builder's streak.
		for (Long worker : round.workersWithBuilds()) {
			List<Pools.Pair> pairs = pools.of(worker);
			for (Pools.Pair pair : pairs) {
				if (pair.suspects().size() >= this.properties.hostMinFailures()
						&& pair.chance() < this.properties.concentrationSignificance()) {
					judged.concentrated(worker, concentration(round, pair));
					pair.suspects()
						.forEach((s) -> judged.set(s.build().id(), Outcome.HOST_FAILURE, Kind.CONCENTRATED,
								"failed on '" + round.builderName(pair.builderId()) + "' where its pool mates pass ("
										+ passedOn(round, s) + ")"));
				}
			}
			judgeSameStep(round, worker, pairs, judged);
		}
	}

	private String concentration(Round round, Pools.Pair pair) {
		String mates = pair.mates().stream().map(round::workerName).collect(Collectors.joining(", "));
		return "'" + round.builderName(pair.builderId()) + "' failed " + pair.failures() + " of " + pair.builds()
				+ " builds on this worker in the last " + Durations.human(this.properties.window())
				+ " while its other workers (" + mates + ") failed " + pair.mateFailures() + " of "
				+ pair.mateBuilds() + ": the host, not the build (" + examples(round, pair.suspects()) + ")";
	}

	/**
	 * A worker that fails the same step on most of its shared builders, on revisions their other workers pass, and
	 * far more often than they do over those builders together: a full disk, a broken toolchain.
	 */
	private void judgeSameStep(Round round, long worker, List<Pools.Pair> pairs, Judgements judged) {
		if (pairs.size() < 2) {
			return;
		}
		Map<String, List<Pools.Suspect>> byStep = Pools.byStep(pairs);
		for (Map.Entry<String, List<Pools.Suspect>> entry : byStep.entrySet()) {
			List<Pools.Suspect> suspects = entry.getValue();
			List<Pools.Pair> failing = pairs.stream()
				.filter((p) -> p.suspects().stream().anyMatch(suspects::contains))
				.toList();
			int builds = failing.stream().mapToInt(Pools.Pair::builds).sum();
			int failures = failing.stream().mapToInt(Pools.Pair::failures).sum();
			int mateBuilds = failing.stream().mapToInt(Pools.Pair::mateBuilds).sum();
			int mateFailures = failing.stream().mapToInt(Pools.Pair::mateFailures).sum();
			double chance = Binomial.tail(failures, builds, (mateFailures + 1.0) / (mateBuilds + 2.0));
			if (failing.size() >= 2 && failing.size() * 2 > pairs.size()
					&& suspects.size() >= this.properties.hostMinFailures()
					&& chance < this.properties.concentrationSignificance()) {
				String step = entry.getKey().isEmpty() ? "an unknown step" : "step '" + entry.getKey() + "'";
				judged.sameStep(worker, "failed " + step + " on " + failing.size() + " of its " + pairs.size()
						+ " shared builders (" + failing.stream()
							.map((p) -> "'" + round.builderName(p.builderId()) + "'")
							.collect(Collectors.joining(", "))
						+ ") on revisions their other workers passed: " + failures + " of " + builds
						+ " builds, against " + mateFailures + " of " + mateBuilds + " of the other workers ("
						+ examples(round, suspects) + ")");
				suspects.forEach((s) -> judged.set(s.build().id(), Outcome.HOST_FAILURE, Kind.SAME_STEP,
						"failed " + step + " where other workers of its builders pass (" + passedOn(round, s) + ")"));
				return;
			}
		}
	}

	/** The pool mates' builds that passed where a suspect failed, named: "'B' #12 passed on alice-debian". */
	private static String passedOn(Round round, Pools.Suspect s) {
		boolean same = Objects.equals(round.revisionKey(s.passedOn().get(0)), round.revisionKey(s.build()));
		return (same ? "revision " + shortRev(s.build().revision()) + " passed on " : "the builds around it passed: ")
				+ s.passedOn()
					.stream()
					.map((b) -> "'" + round.builderName(b.builderId()) + "' #" + b.number() + " on "
							+ round.workerName(b.workerId()))
					.collect(Collectors.joining(", "));
	}

	private static String examples(Round round, List<Pools.Suspect> suspects) {
		List<String> shown = new ArrayList<>();
		for (Pools.Suspect s : suspects.subList(0, Math.min(3, suspects.size()))) {
			BuildFacts mate = s.passedOn().get(0);
			boolean same = Objects.equals(round.revisionKey(mate), round.revisionKey(s.build()));
			shown.add("'" + round.builderName(s.build().builderId()) + "' #" + s.build().number() + " on "
					+ shortRev(s.build().revision()) + (same ? " passed on " : ", while the builds around it passed on ")
					+ s.passedOn().stream().map((b) -> round.workerName(b.workerId())).distinct()
						.collect(Collectors.joining(", ")));
		}
		return "e.g. " + String.join("; ", shown) + ((suspects.size() > shown.size()) ? "; ..." : "");
	}

	/**
	 * On a builder a worker serves alone: a failure on a revision its class peers passed, while its own results
	 * there flip between pass and fail.
	 */
	private void judgeIntermittent(Round round, Pools pools, List<BuildFacts> failures, Judgements judged) {
		Peers peers = round.peers();
		for (BuildFacts b : failures) {
			if (judged.outcome(b.id()) != Outcome.FAILURE || b.workerId() == null
					|| pools.shared(b.workerId(), b.builderId())) {
				continue;
			}
			Peers.Results peer = peers.results(b);
			if (peer.passed() > 0
					&& flips(round.of(b.workerId()), b.builderId(), judged) >= this.properties.intermittentFlips()) {
				judged.set(b.id(), Outcome.HOST_FAILURE, Kind.INTERMITTENT,
						INTERMITTENT + "in '" + step(b) + "' on revision " + shortRev(b.revision()) + " that passed on "
								+ peer.passed() + " peer" + plural(peer.passed()) + " ("
								+ String.join(", ", peer.classes()) + ") while this worker alternates pass/fail");
			}
		}
	}

	/**
	 * How often a worker's results on one builder switch between pass and fail. Code breaks and interrupted builds
	 * are not its results: a worker whose test failure was fixed and whose next builds met a commit that broke the
	 * code everywhere does not alternate (a new user's trial read its old failures as intermittent).
	 */
	static int flips(List<BuildFacts> own, long builderId, Judgements judged) {
		int flips = 0;
		Boolean last = null;
		for (BuildFacts b : own) {
			Outcome outcome = judged.outcome(b.id());
			if (b.builderId() != builderId || outcome == Outcome.CODE_BREAK || outcome == Outcome.INTERRUPTED) {
				continue;
			}
			Boolean passed = BuildResult.passed(b.results()) ? Boolean.TRUE
					: BuildResult.FAILURE.is(b.results()) ? Boolean.FALSE : null;
			if (passed == null) {
				continue;
			}
			if (last != null && !last.equals(passed)) {
				flips++;
			}
			last = passed;
		}
		return flips;
	}

	static String step(BuildFacts build) {
		return (build.failingStep() != null) ? build.failingStep() : "an unknown step";
	}

	static String shortRev(String revision) {
		if (revision == null) {
			return "(unknown)";
		}
		return (revision.length() > 12) ? revision.substring(0, 12) : revision;
	}

	static String plural(int n) {
		return (n == 1) ? "" : "s";
	}

}
