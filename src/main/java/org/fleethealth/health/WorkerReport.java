package org.fleethealth.health;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A worker as the API, metrics and mails show it: its state with evidence, and what is known of it.
 * {@code recentBuilds}, {@code history} and {@code transitions} are filled only for a single worker.
 * {@code configured} is false for a worker that left its master's configuration (only its own page shows it);
 * {@code infoAsOf}, for a worker not connected now, says when {@code host} and {@code version} were last reported
 * (its last connection), since they may have changed since.
 *
 * @param rules the classification rules that fired, the deciding one first ({@link Rule})
 * @param branches the branches of the builders it serves (from their branch tags)
 * @param pausedSince since when fleet-health has seen it paused in Buildbot, or {@code null}
 * @param pauseReason why it is paused, where Buildbot says (4.x), or {@code null}
 * @param connectedElsewhere the other watched masters it is connected to under the same name (LLVM's production
 * and staging), empty when none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkerReport(String master, String name, WorkerState state, Instant since, OwnerView owner,
		Instant lastSeen, boolean connected, boolean paused, String version, String host, Set<String> classes,
		List<String> evidence, Counts builds, Instant classifiedAt, List<BuildView> recentBuilds,
		List<StateView> history, List<TransitionView> transitions, boolean configured, Instant infoAsOf,
		List<Rule> rules, Set<String> branches, Instant pausedSince, String pauseReason,
		List<String> connectedElsewhere) {

	public WorkerReport {
		rules = (rules != null) ? List.copyOf(rules) : List.of();
		branches = (branches != null) ? Set.copyOf(branches) : Set.of();
		connectedElsewhere = (connectedElsewhere != null) ? List.copyOf(connectedElsewhere) : List.of();
	}

	/**
	 * The same report with a connection heard live: connected or not, and seen until {@code lastSeen}. Its judgement
	 * follows in the next round; until then only the connection is newer.
	 */
	public WorkerReport withConnection(boolean connected, Instant lastSeen) {
		return new WorkerReport(this.master, this.name, this.state, this.since, this.owner, lastSeen, connected,
				this.paused, this.version, this.host, this.classes, this.evidence, this.builds, this.classifiedAt,
				this.recentBuilds, this.history, this.transitions, this.configured, this.infoAsOf, this.rules,
				this.branches, this.pausedSince, this.pauseReason, this.connectedElsewhere);
	}

	/** Whether a rule fired for this worker (a typed reason, never a search of the evidence text). */
	public boolean fired(Rule rule) {
		return this.rules.contains(rule);
	}

	/** A configured worker whose information, if any, is current. */
	public WorkerReport(String master, String name, WorkerState state, Instant since, OwnerView owner,
			Instant lastSeen, boolean connected, boolean paused, String version, String host, Set<String> classes,
			List<String> evidence, Counts builds, Instant classifiedAt, List<BuildView> recentBuilds,
			List<StateView> history, List<TransitionView> transitions) {
		this(master, name, state, since, owner, lastSeen, connected, paused, version, host, classes, evidence, builds,
				classifiedAt, recentBuilds, history, transitions, true, null, List.of(), Set.of(), null, null, List.of());
	}

	/**
	 * The owner. {@code name} and {@code email} are the first owner's ({@code null} when there is nobody to mail);
	 * {@code addresses} are all of them; {@code source} says where they came from ({@code configured},
	 * {@code prefix}, {@code admin}, {@code none}); {@code note} is the text as written when no address could be
	 * read from it (or says that one was de-obfuscated); {@code ignored} are placeholder addresses never mailed.
	 */
	public record OwnerView(String name, String email, String source, String note, List<Address> addresses,
			List<String> ignored) {

		/** An owner with one address, as written in the configuration; without one, the name is a contact note. */
		public OwnerView(String name, String email) {
			this(name, email, (email != null) ? "configured" : "none", (email != null) ? null : name,
					(email != null) ? List.of(new Address(name, email)) : List.of(), List.of());
		}

		/** Whether there is somebody to mail. */
		public boolean hasAddress() {
			return !this.addresses.isEmpty();
		}

	}

	/** One owner address, with the name written with it ({@code null} if none). */
	public record Address(String name, String email) {
	}

	/**
	 * Build counts in the classification window; {@code interrupted} builds (ended by the master or a shared
	 * outage) are not in {@code total}.
	 */
	public record Counts(int success, int failure, int hostFailure, int codeBreak, int total, double hostFailureRatio,
			int interrupted, int stuck) {

		public Counts(int success, int failure, int hostFailure, int codeBreak, int total, double hostFailureRatio) {
			this(success, failure, hostFailure, codeBreak, total, hostFailureRatio, 0, 0);
		}

		static Counts of(BuildCounts counts) {
			return new Counts(counts.success(), counts.failure(), counts.hostFailure(), counts.codeBreak(),
					counts.total(), counts.hostFailureRatio(), counts.interrupted(), counts.stuck());
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

	/**
	 * One change seen by a poll, newest first: a connect or disconnect, or a pause or unpause (by anyone).
	 *
	 * @param connected true for a connect (kept for tools that read only connections)
	 * @param kind {@code connected}, {@code disconnected}, {@code paused} or {@code unpaused}
	 * @param detail for a pause, the reason the master gives (Buildbot 4.x), else {@code null}
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record TransitionView(boolean connected, Instant at, String kind, String detail) {

		public TransitionView(boolean connected, Instant at) {
			this(connected, at, connected ? "connected" : "disconnected", null);
		}

	}

}
