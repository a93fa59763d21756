package org.fleethealth.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.health.Facts.WorkerFacts;
import org.fleethealth.system.Durations;

/**
 * One worker being judged: its builds, their outcomes, and the rules in the order {@link Classifier} gives. Each
 * rule is one method that returns its finding, or {@code null} when it does not apply.
 */
final class WorkerCase {

	/** What every worker of a round shares. */
	record Shared(ClassificationProperties properties, PresenceRules presence, ConnectionRules connection, Round round,
			Judgements judged, Map<Long, Streaks.Streak> streaks, Versions versions, MasterTrouble trouble) {
	}

	private final Shared shared;

	private final ClassificationProperties properties;

	private final Round round;

	private final WorkerFacts worker;

	private final List<BuildFacts> own;

	private final Map<Long, Outcome> outcomes = new LinkedHashMap<>();

	private final Map<Long, String> reasons = new HashMap<>();

	private final List<BuildFacts> stuck = new ArrayList<>();

	// Whether it has a build running now: not idle.
	private final boolean busy;

	private BuildCounts counts = BuildCounts.NONE;

	WorkerCase(Shared shared, WorkerFacts worker) {
		this.shared = shared;
		this.properties = shared.properties();
		this.round = shared.round();
		this.worker = worker;
		this.own = this.round.of(worker.sourceId());
		for (BuildFacts b : this.own) {
			Outcome outcome = shared.judged().outcome(b.id());
			if (outcome != null) {
				this.outcomes.put(b.id(), outcome);
				this.counts = this.counts.plus(outcome);
			}
			Judgements.Reason reason = shared.judged().reason(b.id());
			if (reason != null) {
				this.reasons.put(b.id(), reason.text());
			}
		}
		Instant stuckBefore = this.round.now.minus(this.properties.stuckAfter());
		boolean running = false;
		for (BuildFacts b : this.round.running(worker.sourceId())) {
			running = true;
			if (b.startedAt().isBefore(stuckBefore)) {
				this.stuck.add(b);
				this.outcomes.put(b.id(), Outcome.HOST_FAILURE);
				this.reasons.put(b.id(), "stuck: running for " + Durations.between(b.startedAt(), this.round.now));
				this.counts = this.counts.plusStuck();
			}
		}
		this.busy = running;
	}

	Verdict verdict() {
		Verdict unknown = decided(WorkerState.UNKNOWN, null,
				this.shared.connection().masterSilent(this.round.master, this.round.now),
				this.shared.presence().masterInactive(this.worker));
		if (unknown != null) {
			return unknown;
		}
		Verdict paused = decided(WorkerState.PAUSED, this.worker.presence().pausedSince(),
				this.shared.presence().paused(this.worker, this.round.now),
				this.shared.presence().plannedDowntime(this.worker, this.busy));
		if (paused != null) {
			return paused;
		}
		Verdict offline = offline();
		if (offline != null) {
			return offline;
		}
		// The most specific finding first: it names the builders and the peers that prove it.
		List<Finding> flaky = new ArrayList<>();
		add(flaky, poolConcentration());
		add(flaky, sameStepAcrossBuilders());
		add(flaky, hostFailureRatio());
		add(flaky, this.shared.connection().connectionFlapping(this.worker, this.shared.trouble()));
		add(flaky, this.shared.presence().unresponsive(this.worker, this.own, this.busy, this.round.now));
		if (!flaky.isEmpty()) {
			List<String> evidence = evidence(flaky);
			evidence.addAll(EvidenceText.hostFailures(this.round, this.shared.judged(), this.own, this.outcomes));
			return verdict(WorkerState.FLAKY_HOST, null, flaky, evidence);
		}
		// failing-build: since its oldest streak began, as its evidence says, not since fleet-health looked.
		WorkerStreaks streaks = WorkerStreaks.of(this.round, this.shared.streaks(), this.worker.sourceId());
		Finding streak = streaks.finding();
		if (streak != null) {
			return verdict(WorkerState.FAILING_BUILD, streaks.since(), List.of(streak), evidence(List.of(streak)));
		}
		return healthy();
	}

	/** The first finding that applies decides the state; {@code null} if none does. */
	private Verdict decided(WorkerState state, Instant factualSince, Finding... findings) {
		for (Finding f : findings) {
			if (f != null) {
				return verdict(state, (state == WorkerState.UNKNOWN) ? null : factualSince, List.of(f),
						evidence(List.of(f)));
			}
		}
		return null;
	}

	// ---- offline

	/**
	 * Not connected here: never offline while connected to another watched master; a latent worker only when work
	 * waited for it in vain; others when never connected, or not connected for {@code offline-after} since the last
	 * sign of them anywhere.
	 */
	private Verdict offline() {
		if (this.worker.connected() || this.shared.presence().connectedElsewhere(this.worker)) {
			return null;
		}
		if (this.worker.presence().latent()) {
			Finding latent = this.shared.presence().latentNotStarted(this.worker, this.own, this.round.now);
			return (latent != null) ? verdict(WorkerState.OFFLINE, this.worker.presence().oldestWaiting(),
					List.of(latent), evidence(List.of(latent))) : null;
		}
		ConnectionRules connection = this.shared.connection();
		Finding finding = connection.neverConnected(this.worker, this.round.master.master());
		finding = (finding != null) ? finding
				: connection.notConnected(this.worker, this.round.now, this.shared.trouble());
		return (finding != null) ? verdict(WorkerState.OFFLINE, offlineSince(connection), List.of(finding),
				evidence(List.of(finding))) : null;
	}

	/** When it went away as far as it is its own doing (non-null once an offline rule fired). */
	private Instant offlineSince(ConnectionRules connection) {
		return connection.offlineSince(this.worker, this.shared.trouble());
	}

	// ---- flaky-host

	private Finding hostFailureRatio() {
		if (this.counts.total() < this.properties.minBuilds() || this.counts.hostFailure() == 0
				|| this.counts.hostFailureRatio() < this.properties.flakyRatio()) {
			return null;
		}
		return new Finding(Rule.HOST_FAILURE_RATIO,
				String.format(Locale.ROOT, "%d of %d builds in the last %s were host failures (%.2f >= %.2f)",
						this.counts.hostFailure(), this.counts.total(), Durations.human(this.properties.window()),
						this.counts.hostFailureRatio(), this.properties.flakyRatio()));
	}

	private Finding poolConcentration() {
		List<String> lines = this.shared.judged().concentrated(this.worker.sourceId());
		return lines.isEmpty() ? null : new Finding(Rule.POOL_CONCENTRATION, lines);
	}

	private Finding sameStepAcrossBuilders() {
		String line = this.shared.judged().sameStep(this.worker.sourceId());
		return (line != null) ? new Finding(Rule.SAME_STEP_ACROSS_BUILDERS, line) : null;
	}

	// ---- healthy

	private Verdict healthy() {
		List<String> evidence = new ArrayList<>();
		evidence.add(EvidenceText.summary(this.counts));
		if (this.counts.hostFailure() > 0) {
			evidence.addAll(EvidenceText.hostFailures(this.round, this.shared.judged(), this.own, this.outcomes));
			if (this.counts.total() < this.properties.minBuilds()
					&& this.counts.hostFailureRatio() >= this.properties.flakyRatio()) {
				// Healthy for want of builds, not for want of failures: say so, or it reads as a clean bill.
				evidence.add(String.format(Locale.ROOT,
						"too few builds to judge its host by its failures yet: %d of the %d (min-builds) it takes,"
								+ " %d of them host failures",
						this.counts.total(), this.properties.minBuilds(), this.counts.hostFailure()));
			}
		}
		return verdict(WorkerState.HEALTHY, null, List.of(), evidence);
	}

	// ---- evidence and context

	private Verdict verdict(WorkerState state, Instant factualSince, List<Finding> findings, List<String> evidence) {
		List<Rule> rules = new ArrayList<>();
		findings.forEach((f) -> rules.add(f.rule()));
		evidence.addAll(context(state, rules));
		if (state == WorkerState.UNKNOWN) {
			// Nothing can be said of the worker now: no counts, nobody blamed. What each of its builds was stays what
			// it was (the release gate reads it: a host failure must not turn into the code's while the master is
			// silent). A build that reads stuck is left out: that is a judgement of now.
			Map<Long, Outcome> finished = new LinkedHashMap<>(this.outcomes);
			this.stuck.forEach((b) -> finished.remove(b.id()));
			return new Verdict(state, since(state, null), evidence, BuildCounts.NONE, finished, rules, this.reasons);
		}
		return new Verdict(state, since(state, factualSince), evidence, this.counts, this.outcomes, rules,
				this.reasons);
	}

	/**
	 * Not deciding, but worth saying: still disconnected, connected elsewhere, a latent worker between builds, its
	 * build going on after a disconnect, stuck builds, builds the master ended, code breaks, version drift.
	 */
	private List<String> context(WorkerState state, List<Rule> rules) {
		List<String> lines = new ArrayList<>();
		if (state == WorkerState.UNKNOWN) {
			return lines;
		}
		if (!this.worker.connected() && state != WorkerState.OFFLINE && state != WorkerState.PAUSED) {
			lines.add(disconnectedContext(rules));
		}
		String activity = this.shared.presence().activity(this.worker);
		if (activity != null) {
			lines.add(activity);
		}
		this.stuck.forEach((b) -> lines.add(EvidenceText.stuck(this.round, b)));
		if (!this.stuck.isEmpty()) {
			rules.add(Rule.STUCK_BUILD);
		}
		if (this.counts.codeBreak() > 0 && !rules.isEmpty()) {
			int n = this.counts.codeBreak();
			lines.add(n + " code break" + EvidenceText.plural(n)
					+ " (revisions that failed on most builders that built them) " + ((n == 1) ? "counts" : "count")
					+ " against nobody");
		}
		if (this.counts.interrupted() > 0) {
			lines.add(EvidenceText.interrupted(this.round, this.shared.judged(), this.own, this.outcomes,
					this.counts.interrupted()));
		}
		Instant repaired = this.round.master.repairedSince().get(this.worker.sourceId());
		if (repaired != null && repaired.isAfter(this.round.windowStart)) {
			lines.add("builds counted from " + Durations.at(repaired) + ", when it was released from quarantine as"
					+ " repaired; the builds before are not held against it");
		}
		String drift = this.shared.versions().drift(this.worker.version());
		if (drift != null) {
			lines.add(drift);
			rules.add(Rule.VERSION_DRIFT);
		}
		return lines;
	}

	private String disconnectedContext(List<Rule> rules) {
		String elsewhere = this.shared.presence().elsewhere(this.worker);
		if (elsewhere != null) {
			rules.add(Rule.CONNECTED_ELSEWHERE);
			return elsewhere;
		}
		if (this.worker.presence().latent()) {
			return this.shared.presence().latentIdle(this.worker);
		}
		return this.shared.connection().disconnectedRecently(this.worker, this.round.now, this.shared.trouble());
	}

	/**
	 * Since when: kept while the state holds; the state a master outage interrupted keeps its real start (a silent
	 * master says nothing about a worker); else the fact's own time; else now.
	 */
	private Instant since(WorkerState state, Instant factualSince) {
		WorkerFacts w = this.worker;
		Instant now = this.round.now;
		if (state == w.previousState() && w.previousSince() != null) {
			return w.previousSince();
		}
		if (w.previousState() == WorkerState.UNKNOWN && state == w.heldState() && w.heldSince() != null) {
			return w.heldSince();
		}
		if (factualSince != null && !factualSince.isAfter(now)) {
			return factualSince;
		}
		return now;
	}

	private static void add(List<Finding> findings, Finding finding) {
		if (finding != null) {
			findings.add(finding);
		}
	}

	private static List<String> evidence(List<Finding> findings) {
		List<String> evidence = new ArrayList<>();
		findings.forEach((f) -> evidence.addAll(f.lines()));
		return evidence;
	}

}
