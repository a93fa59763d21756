package org.fleethealth.gate;

import java.time.Instant;
import java.util.List;

import org.fleethealth.health.WorkerState;

/** What the gate rules judge, gathered by {@link ReleaseGates}; plain values so the rules test without Spring. */
final class GateFacts {

	private GateFacts() {
	}

	/**
	 * One builder of the stable set.
	 *
	 * @param name its name
	 * @param stableBecause {@code tag} or {@code configuration}
	 * @param known whether the master has it as a current builder (a configured name may be wrong or gone)
	 * @param workers the configured workers that serve it
	 * @param lastBuild its last build that passed or failed, or {@code null}
	 * @param lastBuildWorker the name of the worker that ran {@code lastBuild}, if known
	 * @param lastFinished when it last finished any build, or {@code null}
	 */
	record StableBuilder(String name, String stableBecause, boolean known, List<WorkerFacts> workers,
			GateReport.LastBuild lastBuild, String lastBuildWorker, Instant lastFinished) {

		StableBuilder {
			workers = List.copyOf(workers);
		}

	}

	/** A worker that serves a builder, as classified. */
	record WorkerFacts(String name, WorkerState state, boolean connected) {
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
	 */
	record Candidate(String name, String stableBecause, boolean known, List<WorkerFacts> workers,
			List<Integer> windowResults, Instant firstBuildStarted) {

		Candidate {
			workers = List.copyOf(workers);
			windowResults = List.copyOf(windowResults);
		}

	}

}
