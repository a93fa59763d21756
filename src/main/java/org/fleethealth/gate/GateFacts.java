package org.fleethealth.gate;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.fleethealth.health.Outcome;
import org.fleethealth.health.WorkerState;
import org.fleethealth.source.BuildResult;

/** What the gate rules judge, gathered by {@link StableBuilders}; plain values so the rules test without Spring. */
final class GateFacts {

	private GateFacts() {
	}

	/**
	 * One builder of the stable set, on one branch.
	 *
	 * @param name its name
	 * @param stableBecause {@code tag} or {@code configuration}
	 * @param known whether the master has it as a current builder (a configured name may be wrong or gone)
	 * @param branch the branch it is judged on ({@code null} for a builder the master does not have)
	 * @param tags its tags (the tier is read from them)
	 * @param workers the configured workers that serve it
	 * @param builds its builds on that branch that passed or failed, newest first: the last one, and before it
	 * those the rules may look back to (at least back to one that was not counted against its host)
	 * @param lastFinished when it last finished any build on that branch, or {@code null}
	 */
	record StableBuilder(String name, String stableBecause, boolean known, String branch, List<String> tags,
			List<WorkerFacts> workers, List<BuildFacts> builds, Instant lastFinished) {

		StableBuilder {
			tags = List.copyOf(tags);
			workers = List.copyOf(workers);
			builds = List.copyOf(builds);
		}

		/** Its last build that passed or failed, or {@code null}. */
		BuildFacts last() {
			return this.builds.isEmpty() ? null : this.builds.get(0);
		}

		/** The state of a worker that serves it, or {@code null} if it serves it no more. */
		WorkerState stateOf(String worker) {
			return this.workers.stream()
				.filter((w) -> w.name().equals(worker))
				.map(WorkerFacts::state)
				.findFirst()
				.orElse(null);
		}

	}

	/**
	 * A build that passed or failed, with what the classifier made of it.
	 *
	 * @param build the build as the gate shows it
	 * @param worker the name of the worker that ran it, if known
	 * @param outcome whose fault the classifier found it was ({@code null}: not judged, because it is older than
	 * the classification window or its failing step is still to be read); a plain success is {@code SUCCESS}
	 * @param judgement why the classifier judged it so, naming the builds that prove it, or {@code null}
	 */
	record BuildFacts(GateReport.LastBuild build, String worker, Outcome outcome, String judgement) {

		boolean passed() {
			return BuildResult.passed(this.build.results());
		}

		boolean hostFailure() {
			return this.outcome == Outcome.HOST_FAILURE;
		}

	}

	/**
	 * A worker that serves a builder, as classified.
	 *
	 * @param connectedElsewhere the other watched masters it is connected to under the same name (LLVM's production
	 * and staging list the same workers), in configuration order; empty when it is connected here or nowhere
	 * @param since since when it is in its state, as classified, or {@code null} if not known
	 */
	record WorkerFacts(String name, WorkerState state, boolean connected, List<String> connectedElsewhere,
			Instant since) {

		WorkerFacts {
			connectedElsewhere = (connectedElsewhere != null) ? List.copyOf(connectedElsewhere) : List.of();
		}

		WorkerFacts(String name, WorkerState state, boolean connected, List<String> connectedElsewhere) {
			this(name, state, connected, connectedElsewhere, null);
		}

		WorkerFacts(String name, WorkerState state, boolean connected) {
			this(name, state, connected, List.of());
		}

	}

	/**
	 * A builder that might belong in the stable set, with its builds in the {@code stable-after} window.
	 *
	 * @param name its name
	 * @param stableBecause {@code tag} or {@code configuration} when it is in the stable set, else {@code null}
	 * @param known whether the master has it as a current builder
	 * @param workers the configured workers that serve it
	 * @param windowResults the result codes of its finished builds that passed or failed in the window
	 * @param firstBuildStarted when its oldest stored build started, or {@code null}
	 * @param hostFailures of its failed builds in the window, those the classifier counts against their host, by
	 * worker name
	 */
	record Candidate(String name, String stableBecause, boolean known, List<WorkerFacts> workers,
			List<Integer> windowResults, Instant firstBuildStarted, Map<String, Integer> hostFailures) {

		Candidate {
			workers = List.copyOf(workers);
			windowResults = List.copyOf(windowResults);
			hostFailures = (hostFailures != null) ? Map.copyOf(hostFailures) : Map.of();
		}

	}

}
