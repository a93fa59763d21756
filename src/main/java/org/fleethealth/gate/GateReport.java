package org.fleethealth.gate;

import java.time.Instant;
import java.util.List;

import org.fleethealth.health.WorkerState;

/**
 * The release gate of one master at one moment.
 *
 * @param master the master
 * @param verdict {@code go} when nothing blocks
 * @param evaluatedAt when the gate was evaluated
 * @param stableTag the builder tag that puts a builder in the stable set
 * @param stableBuilders how many builders are in the stable set
 * @param blockers stable builders that block a release
 * @param concerns stable builders to look at that do not block
 * @param passing stable builders whose last build passed on a connected worker
 * @param notes what else stands in the way, such as an empty stable set
 */
public record GateReport(String master, GateVerdict verdict, Instant evaluatedAt, String stableTag, int stableBuilders,
		List<Entry> blockers, List<Entry> concerns, List<Entry> passing, List<String> notes) {

	public GateReport {
		notes = List.copyOf(notes);
		blockers = List.copyOf(blockers);
		concerns = List.copyOf(concerns);
		passing = List.copyOf(passing);
	}

	/**
	 * One stable builder as the gate sees it.
	 *
	 * @param builder the builder's name
	 * @param stableBecause why it is in the stable set: {@code tag} or {@code configuration}
	 * @param reason why it blocks, concerns or passes
	 * @param lastBuild its last build that passed or failed, or {@code null} if it has none
	 * @param worker the worker that ran that build, or else one that serves the builder
	 * @param workerState that worker's state
	 */
	public record Entry(String builder, String stableBecause, String reason, LastBuild lastBuild, String worker,
			WorkerState workerState) {
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

}
