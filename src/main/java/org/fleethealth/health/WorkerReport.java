package org.fleethealth.health;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A worker as the API, metrics and mails show it: its state with evidence, and what is known of it.
 * {@code recentBuilds}, {@code history} and {@code transitions} are filled only for a single worker.
 *
 * @param rules the classification rules that fired, the deciding one first ({@link Rule})
 * @param branches the branches of the builders it serves (from their branch tags)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkerReport(String master, String name, WorkerState state, Instant since, OwnerView owner,
		Instant lastSeen, boolean connected, boolean paused, String version, String host, Set<String> classes,
		List<String> evidence, Counts builds, Instant classifiedAt, List<BuildView> recentBuilds,
		List<StateView> history, List<TransitionView> transitions, List<Rule> rules, Set<String> branches) {

	public WorkerReport {
		rules = (rules != null) ? List.copyOf(rules) : List.of();
		branches = (branches != null) ? Set.copyOf(branches) : Set.of();
	}

	/** A report without rules or branches (fixtures, tools). */
	public WorkerReport(String master, String name, WorkerState state, Instant since, OwnerView owner,
			Instant lastSeen, boolean connected, boolean paused, String version, String host, Set<String> classes,
			List<String> evidence, Counts builds, Instant classifiedAt, List<BuildView> recentBuilds,
			List<StateView> history, List<TransitionView> transitions) {
		this(master, name, state, since, owner, lastSeen, connected, paused, version, host, classes, evidence, builds,
				classifiedAt, recentBuilds, history, transitions, List.of(), Set.of());
	}

	/** Whether a rule fired for this worker (a typed reason, never a search of the evidence text). */
	public boolean fired(Rule rule) {
		return this.rules.contains(rule);
	}

	/** The owner; fields are {@code null} when unknown. */
	public record OwnerView(String name, String email) {
	}

	/**
	 * Build counts in the classification window; {@code interrupted} builds (ended by the master or a shared
	 * outage) are not in {@code total}.
	 */
	public record Counts(int success, int failure, int hostFailure, int codeBreak, int total, double hostFailureRatio,
			int interrupted) {

		public Counts(int success, int failure, int hostFailure, int codeBreak, int total, double hostFailureRatio) {
			this(success, failure, hostFailure, codeBreak, total, hostFailureRatio, 0);
		}

		static Counts of(BuildCounts counts) {
			return new Counts(counts.success(), counts.failure(), counts.hostFailure(), counts.codeBreak(),
					counts.total(), counts.hostFailureRatio(), counts.interrupted());
		}

	}

	/** One recent build of the worker. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record BuildView(long buildId, int number, String builder, String revision, Integer results,
			String result, String failingStep, Instant startedAt, Instant completeAt, String url) {
	}

	/** One entry of the state history, newest first. */
	public record StateView(WorkerState state, Instant since, List<String> evidence) {
	}

	/** One connect or disconnect seen by a poll, newest first. */
	public record TransitionView(boolean connected, Instant at) {
	}

}
