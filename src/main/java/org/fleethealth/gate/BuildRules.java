package org.fleethealth.gate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.fleethealth.gate.GateFacts.BuildFacts;
import org.fleethealth.gate.GateFacts.StableBuilder;
import org.fleethealth.gate.GateRules.Case;
import org.fleethealth.gate.GateRules.Finding;
import org.fleethealth.gate.GateRules.Kind;
import org.fleethealth.health.Outcome;
import org.fleethealth.health.WorkerState;
import org.fleethealth.source.BuildResult;

/**
 * The gate rules that read a stable builder's builds ({@link GateRules} orders them): its last build that tested the
 * code failed (the code's), its last build failed on a host the classifier counts it against (the host's), no build
 * has tested the code yet, or it passes. One method per rule; each returns the finding, or {@code null} when the rule
 * does not apply.
 */
final class BuildRules {

	private BuildRules() {
	}

	static Finding codeFailure(Case c) {
		BuildFacts tested = tested(c.builder());
		if (tested == null || !BuildResult.red(tested.build().results())) {
			return null;
		}
		// "...: the build's: ..." read as a fragment (a trial): the cause joins with a comma, its detail with a colon.
		StringBuilder reason = new StringBuilder(describe(tested, c)).append(", ").append(whyCode(tested, c));
		BuildFacts last = c.builder().last();
		if (last != tested && last.hostFailure()) {
			reason.append("; the later build #")
				.append(last.build().number())
				.append(" on ")
				.append(last.worker())
				.append(" failed too, and is counted against that host");
		}
		return new Finding(Kind.BLOCKER, Cause.CODE, reason.toString(), tested, null, action(tested, c));
	}

	static Finding hostFailure(Case c) {
		StableBuilder b = c.builder();
		BuildFacts last = b.last();
		if (last == null || !last.hostFailure()) {
			return null;
		}
		BuildFacts peer = b.builds()
			.stream()
			.filter((x) -> x.passed() && x.worker() != null && !x.worker().equals(last.worker()))
			.findFirst()
			.orElse(null);
		String host = (last.worker() != null) ? last.worker() : "its worker";
		WorkerState state = (last.worker() != null) ? b.stateOf(last.worker()) : null;
		String reason = describe(last, c) + ", which the classifier counts against that host"
				+ ((last.judgement() != null) ? ": " + last.judgement() : "")
				+ ((peer != null) ? "; #" + peer.build().number() + " passed on " + peer.worker() + c.lastAt(peer)
						: "; no build of it on another worker passed in the window")
				+ " (the host's failure, not the code's)" + untested(last, b, peer);
		GateReport.PeerBuild peerBuild = (peer != null) ? new GateReport.PeerBuild(peer.build().number(),
				peer.worker(), peer.build().url(), peer.build().completeAt(), peer.build().revision()) : null;
		return new Finding(Kind.CONCERN, Cause.HOST, reason, last, peerBuild,
				"fix the host " + host + ((state != null) ? " (" + state + ")" : "") + ", or take it off '" + b.name()
						+ "' (the stable-set proposal lists '" + b.name() + "' under remove)");
	}

	/**
	 * The words for a revision the host failed that no build of the builder passed: what passed on another worker
	 * was older, so the newest code is untested there. Two new users read such a concern as green for it.
	 */
	private static String untested(BuildFacts failed, StableBuilder b, BuildFacts peer) {
		String revision = failed.build().revision();
		if (peer == null || revision == null || revision.equals(peer.build().revision())
				|| b.builds().stream().anyMatch((x) -> x.passed() && revision.equals(x.build().revision()))) {
			return "";
		}
		return "; the revision it failed, " + ((revision.length() > 10) ? revision.substring(0, 10) : revision)
				+ ", has not passed on this builder yet";
	}

	static Finding neverTested(Case c) {
		StableBuilder b = c.builder();
		if (tested(b) != null) {
			return null;
		}
		return new Finding(Kind.CONCERN, Cause.STALE,
				b.builds().isEmpty() ? "no build has passed or failed yet"
						: "no build has tested the code yet: its master ended every one (interrupted)",
				b.last(), null, null);
	}

	static Finding passing(Case c) {
		BuildFacts tested = tested(c.builder());
		BuildFacts last = c.builder().last();
		return new Finding(Kind.PASSING, null, "last build #" + tested.build().number() + " ended in "
				+ tested.build().result() + c.lastAt(tested)
				+ ((last != tested) ? "; #" + last.build().number() + " after it was ended by its master" : ""),
				tested, null, null);
	}

	// ---- helpers

	/** The last build that tested the code: not counted against its host, not ended by the master. */
	static BuildFacts tested(StableBuilder builder) {
		return builder.builds()
			.stream()
			.filter((b) -> !b.hostFailure() && b.outcome() != Outcome.INTERRUPTED)
			.findFirst()
			.orElse(null);
	}

	/** "last build #7 failed in step 'test' on alice-debian (healthy) at ... (1h ago)". */
	private static String describe(BuildFacts b, Case c) {
		GateReport.LastBuild last = b.build();
		boolean newest = b == c.builder().last();
		String worker = (b.worker() != null) ? " on " + b.worker() + state(c.builder().stateOf(b.worker())) : "";
		return (newest ? "last build #" : "build #") + last.number()
				+ (BuildResult.EXCEPTION.is(last.results()) ? " ended in an exception" : " failed")
				+ ((last.failingStep() != null) ? " in step '" + last.failingStep() + "'" : "") + worker
				+ ((last.completeAt() != null)
						? " at " + last.completeAt() + " (" + c.ago(last.completeAt()) + " ago)" : "");
	}

	/**
	 * What to do: fix the code where the same revision failed on the builder's peers too (a code break); else fix
	 * the build there, which may be the code as it builds on that builder's platform, or the platform itself. A new
	 * user's finding: a failure of two ppc64le workers on revisions that passed on x86-64 said "fix the code".
	 */
	private static String action(BuildFacts failed, Case c) {
		String branch = c.builder().branch();
		return (failed.outcome() == Outcome.CODE_BREAK || failed.outcome() == null)
				? "fix the code on branch '" + branch + "'"
				: "fix the build of branch '" + branch + "' on '" + c.builder().name()
						+ "': the code as it builds there, or its platform (its failures are not a revision failing on"
						+ " its peers too)";
	}

	/** Why a failure that tested the code is the code's: the words a blocker owes a release manager. */
	private static String whyCode(BuildFacts failed, Case c) {
		if (failed.outcome() == Outcome.CODE_BREAK) {
			return "the code's fault: the same revision failed on its peers too"
					+ ((failed.judgement() != null) ? " (" + failed.judgement() + ")" : "");
		}
		if (failed.outcome() == null && failed.worker() == null) {
			// The classifier judges builds per worker: one the master names no worker for is never judged.
			return "the code's fault until shown otherwise: the classifier has not judged it (the master names no worker"
					+ " for it)";
		}
		if (failed.outcome() == null) {
			return "the code's fault until shown otherwise: the classifier has not judged it (its failing step is still "
					+ "to be read, or it is older than the classification window)";
		}
		List<BuildFacts> streak = streak(c.builder(), failed);
		Set<String> workers = new LinkedHashSet<>();
		streak.forEach((b) -> workers.add((b.worker() != null) ? b.worker() + state(c.builder().stateOf(b.worker()))
				: "an unknown worker"));
		boolean healthy = streak.stream()
			.allMatch((b) -> b.worker() != null && c.builder().stateOf(b.worker()) == WorkerState.HEALTHY);
		String where = String.join(", ", workers);
		if (streak.size() > 1) {
			// "In a row", not "a failing streak": the classifier's streak (failing-streak, 3 by default) is another
			// rule, and a trial read "a failing streak" of two failures beside a worker the classifier calls healthy.
			return "the build's fault: the builder failed its last " + streak.size() + " builds in a row, on " + where
					+ ", none counted against its host";
		}
		return healthy ? "the build's fault: it failed on a healthy worker, " + where
				: "the build's fault: the classifier does not count it against the host of " + where;
	}

	/**
	 * The failures that tested the code in a row, from the given one back: host failures, builds the master ended and
	 * code breaks passed over, as the classifier's streaks do (a trial: "failed its last 2 builds in a row" counted a
	 * revision that failed on 111 of 126 builders).
	 */
	private static List<BuildFacts> streak(StableBuilder builder, BuildFacts from) {
		List<BuildFacts> streak = new ArrayList<>();
		boolean started = false;
		for (BuildFacts b : builder.builds()) {
			started |= b == from;
			if (!started || b.hostFailure() || b.outcome() == Outcome.INTERRUPTED || b.outcome() == Outcome.CODE_BREAK) {
				continue;
			}
			if (!BuildResult.red(b.build().results())) {
				break;
			}
			streak.add(b);
		}
		return streak;
	}

	private static String state(WorkerState state) {
		return (state != null) ? " (" + state + ")" : "";
	}

}
