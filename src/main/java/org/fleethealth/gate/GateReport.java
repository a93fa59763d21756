package org.fleethealth.gate;

import java.time.Instant;
import java.util.List;

import org.fleethealth.health.Outcome;
import org.fleethealth.health.WorkerState;

/**
 * The release gate of one master at one moment: of every branch ({@code branch} {@code null}, one verdict per branch
 * in {@code branches}), or of one branch.
 *
 * @param master the master
 * @param verdict {@code go} when nothing blocks; for every branch, no-go as soon as one branch is
 * @param evaluatedAt when the gate was evaluated
 * @param stableTag the builder tag that puts a builder in the stable set
 * @param stableBuilders how many builders are in the stable set (of the branch, for one branch)
 * @param blockers stable builders that block a release
 * @param concerns stable builders to look at that do not block
 * @param passing stable builders whose last build passed on a connected worker
 * @param notes what else stands in the way, such as an empty stable set
 * @param branch the branch this gate is about, or {@code null} for every branch
 * @param branches one verdict per branch, newest branch first
 */
public record GateReport(String master, GateVerdict verdict, Instant evaluatedAt, String stableTag, int stableBuilders,
		List<Entry> blockers, List<Entry> concerns, List<Entry> passing, List<String> notes, String branch,
		List<BranchGate> branches) {

	public GateReport {
		notes = List.copyOf(notes);
		blockers = List.copyOf(blockers);
		concerns = List.copyOf(concerns);
		passing = List.copyOf(passing);
		branches = (branches != null) ? List.copyOf(branches) : List.of();
	}

	/**
	 * The gate of one branch (its name compared ignoring case): no-go with a note when no stable builder is on it,
	 * since nothing known to be green is nothing to release on.
	 */
	public GateReport onBranch(String name) {
		BranchGate gate = this.branches.stream()
			.filter((b) -> b.branch().equalsIgnoreCase(name))
			.findFirst()
			.orElseGet(() -> new BranchGate(name, GateVerdict.NO_GO, 0, List.of(), List.of(), List.of(),
					List.of("no stable builder of master '" + this.master + "' is on branch '" + name + "'"
							+ (this.branches.isEmpty() ? ""
									// Quoted: a fleet whose builds name no branch has branch 'none', which
									// read as "there are none" (a trial).
									: "; branches with stable builders: " + String.join(", ",
											this.branches.stream().map((b) -> "'" + b.branch() + "'").toList()))
							+ unknownBuilders())));
		return new GateReport(this.master, gate.verdict(), this.evaluatedAt, this.stableTag, gate.stableBuilders(),
				gate.blockers(), gate.concerns(), gate.passing(), gate.notes(), gate.branch(), List.of(gate));
	}

	/**
	 * The gate of a branch left out of the gate ({@code gate.excluded-branches}): no-go, with a note that says so
	 * rather than that no stable builder is on it (a trial asked about CPython's {@code PullRequest} and read the
	 * latter beside 83 builders tagged {@code stable}).
	 */
	public GateReport onExcludedBranch(String name) {
		BranchGate gate = new BranchGate(name, GateVerdict.NO_GO, 0, List.of(), List.of(), List.of(),
				List.of("branch '" + name + "' is left out of the release gate of master '" + this.master
						+ "' (fleet-health.gate.excluded-branches): its builders are in no stable set, whatever their"
						+ " tags"));
		return new GateReport(this.master, gate.verdict(), this.evaluatedAt, this.stableTag, 0, List.of(), List.of(),
				List.of(), gate.notes(), name, List.of(gate));
	}

	/** The stable builders configured by name that the master does not have (a typo, or one not built yet). */
	private String unknownBuilders() {
		List<String> unknown = this.concerns.stream()
			.filter((c) -> c.cause() == Cause.UNKNOWN_BUILDER)
			.map(Entry::builder)
			.toList();
		return unknown.isEmpty() ? ""
				: "; configured as stable, but the master has no builder of that name: " + String.join(", ", unknown);
	}

	/**
	 * The gate of one branch.
	 *
	 * @param branch the branch (a builder's branch tag, or its builds' {@code branch} property)
	 * @param verdict {@code go} when no stable builder on the branch blocks
	 * @param stableBuilders how many stable builders are on the branch
	 * @param blockers those that block a release of the branch
	 * @param concerns those to look at that do not block
	 * @param passing those whose last build passed
	 * @param notes what else stands in the way
	 */
	public record BranchGate(String branch, GateVerdict verdict, int stableBuilders, List<Entry> blockers,
			List<Entry> concerns, List<Entry> passing, List<String> notes) {

		public BranchGate {
			blockers = List.copyOf(blockers);
			concerns = List.copyOf(concerns);
			passing = List.copyOf(passing);
			notes = List.copyOf(notes);
		}

	}

	/**
	 * One stable builder as the gate sees it.
	 *
	 * @param builder the builder's name
	 * @param stableBecause why it is in the stable set: {@code tag} or {@code configuration}
	 * @param reason why it blocks, concerns or passes; a blocker says why it is the code's
	 * @param lastBuild the build the judgement rests on: its last build that passed or failed, or for a blocker
	 * behind a host's failure the last one that tested the code; {@code null} if it has none
	 * @param worker the worker that ran that build, or else one that serves the builder
	 * @param workerState that worker's state
	 * @param cause for a blocker or concern, what is to be fixed: {@code code}, {@code host}, {@code no-worker},
	 * {@code stale} (or {@code unknown-builder}); {@code null} when it passes
	 * @param branch the branch it was judged on ({@code null} for a configured builder the master lacks)
	 * @param tier its tier tag ({@code tier-1}...), or {@code null}
	 * @param outcome what the classifier made of {@code lastBuild} ({@code failure}, {@code host_failure},
	 * {@code code_break}...), or {@code null} if it was not judged
	 * @param judgement why the classifier judged it so, naming the builds that prove it, or {@code null}
	 * @param peerBuild for a host's failure: the builder's newest build on another worker that passed, if any
	 * @param action what to do about it, or {@code null}
	 */
	public record Entry(String builder, String stableBecause, String reason, LastBuild lastBuild, String worker,
			WorkerState workerState, Cause cause, String branch, String tier, Outcome outcome, String judgement,
			PeerBuild peerBuild, String action) {
	}

	/**
	 * The last build of a stable builder that passed or failed (retried, skipped and cancelled builds say
	 * nothing about the code).
	 *
	 * @param number its number on its builder
	 * @param results Buildbot's result code
	 * @param result the code's name
	 * @param url a link to the build on its master's web UI
	 * @param completeAt when it finished
	 * @param revision the revision it built
	 * @param failingStep the first step that failed, when known
	 */
	public record LastBuild(int number, Integer results, String result, String url, Instant completeAt,
			String revision, String failingStep) {
	}

	/**
	 * A build that passed where a host failed: the code is fine there.
	 *
	 * @param number its number on the builder
	 * @param worker the worker that ran it
	 * @param url a link to it on its master's web UI
	 * @param completeAt when it finished
	 * @param revision the revision it built
	 */
	public record PeerBuild(int number, String worker, String url, Instant completeAt, String revision) {
	}

}
