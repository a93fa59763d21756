package org.fleethealth.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.health.Facts.MasterFacts;
import org.fleethealth.health.Facts.WorkerFacts;
import org.fleethealth.system.Durations;

/**
 * Classifies every worker of a master, first rule that applies (each rule one method below, as in
 * {@code GateRules}):
 * <ol>
 * <li>{@code unknown}: its master has not answered for {@code stale-after}; nothing can be said, nobody is
 * blamed ({@link Rule#MASTER_SILENT});</li>
 * <li>{@code offline}: configured but never connected, or not connected for {@code offline-after}
 * ({@link Rule#NEVER_CONNECTED}, {@link Rule#NOT_CONNECTED});</li>
 * <li>{@code flaky-host}: "the slave is broken, not the builds on the slave": host failures reach
 * {@code flaky-ratio}, it disconnects again and again (not counting its master's restarts), its failures on a
 * shared builder concentrate on it, or it fails one step on most of its shared builders where their other workers
 * pass ({@link Rule#HOST_FAILURE_RATIO}, {@link Rule#CONNECTION_FLAPPING}, {@link Rule#POOL_CONCENTRATION},
 * {@link Rule#SAME_STEP_ACROSS_BUILDERS});</li>
 * <li>{@code failing-build}: a builder it serves failed its last {@code failing-streak} builds in one step
 * ({@link Rule#FAILING_STREAK});</li>
 * <li>{@code healthy}.</li>
 * </ol>
 * What each build says (host, build, code break, ended by the master) is judged first, for the whole master, by
 * {@link BuildJudge}.
 */
public class Classifier {

	private final ClassificationProperties properties;

	private final BuildJudge judge;

	public Classifier(ClassificationProperties properties) {
		this.properties = properties;
		this.judge = new BuildJudge(properties);
	}

	/** Classifies every worker of the master at {@code now}; the result is keyed by worker name. */
	public Map<String, Verdict> classify(MasterFacts master, Instant now) {
		Round round = new Round(master, now, this.properties);
		Judgements judged = this.judge.judge(round);
		Map<Long, Streaks.Streak> streaks = Streaks.of(round, judged, this.properties.failingStreak());
		Versions versions = Versions.of(master.workers());
		MasterTrouble trouble = new MasterTrouble(round, this.properties);
		Map<String, Verdict> verdicts = new LinkedHashMap<>();
		for (WorkerFacts worker : master.workers()) {
			Case c = new Case(round, worker, judged, streaks, versions, trouble);
			verdicts.put(worker.name(), c.verdict());
		}
		return verdicts;
	}

	/** One worker being judged: its builds, their outcomes, and the rules in order. */
	private final class Case {

		private final Round round;

		private final WorkerFacts worker;

		private final Judgements judged;

		private final Map<Long, Streaks.Streak> streaks;

		private final Versions versions;

		private final MasterTrouble trouble;

		private final List<BuildFacts> own;

		private final Map<Long, Outcome> outcomes = new LinkedHashMap<>();

		private BuildCounts counts = BuildCounts.NONE;

		Case(Round round, WorkerFacts worker, Judgements judged, Map<Long, Streaks.Streak> streaks, Versions versions,
				MasterTrouble trouble) {
			this.round = round;
			this.worker = worker;
			this.judged = judged;
			this.streaks = streaks;
			this.versions = versions;
			this.trouble = trouble;
			this.own = round.of(worker.sourceId());
			for (BuildFacts b : this.own) {
				Outcome outcome = judged.outcome(b.id());
				if (outcome != null) {
					this.outcomes.put(b.id(), outcome);
					this.counts = this.counts.plus(outcome);
				}
			}
		}

		Verdict verdict() {
			Verdict silent = masterSilent();
			if (silent != null) {
				return silent;
			}
			Verdict offline = neverConnected();
			offline = (offline != null) ? offline : notConnected();
			if (offline != null) {
				return offline;
			}
			// The most specific finding first: it names the builders and the peers that prove it.
			List<Finding> flaky = new ArrayList<>();
			add(flaky, poolConcentration());
			add(flaky, sameStepAcrossBuilders());
			add(flaky, hostFailureRatio());
			add(flaky, connectionFlapping());
			if (!flaky.isEmpty()) {
				List<String> evidence = evidence(flaky);
				evidence.addAll(hostFailureDetails());
				return verdict(WorkerState.FLAKY_HOST, null, flaky, evidence);
			}
			Finding streak = failingStreak();
			if (streak != null) {
				return verdict(WorkerState.FAILING_BUILD, null, List.of(streak), evidence(List.of(streak)));
			}
			return healthy();
		}

		// ---- unknown

		private Verdict masterSilent() {
			MasterFacts master = this.round.master;
			Instant now = this.round.now;
			if (master.lastAnswer() != null
					&& Duration.between(master.lastAnswer(), now).compareTo(properties.staleAfter()) <= 0) {
				return null;
			}
			List<String> evidence = new ArrayList<>();
			evidence.add((master.lastAnswer() != null)
					? "master '" + master.master() + "' has not answered since " + Durations.at(master.lastAnswer())
							+ " (" + Durations.between(master.lastAnswer(), now) + ")"
					: "master '" + master.master() + "' has not answered yet");
			if (master.lastError() != null) {
				evidence.add("last error: " + master.lastError());
			}
			return new Verdict(WorkerState.UNKNOWN, since(WorkerState.UNKNOWN, null), evidence, BuildCounts.NONE,
					Map.of(), List.of(Rule.MASTER_SILENT));
		}

		// ---- offline

		private Verdict neverConnected() {
			if (this.worker.connected() || this.worker.everConnected()) {
				return null;
			}
			Finding f = new Finding(Rule.NEVER_CONNECTED,
					"configured on master '" + this.round.master.master() + "' but has never connected");
			return verdict(WorkerState.OFFLINE, offlineSince(), List.of(f), evidence(List.of(f)));
		}

		private Verdict notConnected() {
			if (this.worker.connected()) {
				return null;
			}
			Instant since = offlineSince();
			Duration down = Duration.between(since, this.round.now);
			if (down.compareTo(properties.offlineAfter()) < 0) {
				return null;
			}
			List<String> lines = new ArrayList<>();
			lines.add("not connected since " + Durations.at(since) + " (" + Durations.human(down) + ")");
			if (this.worker.lastBuildFinished() != null) {
				lines.add("last build finished " + Durations.at(this.worker.lastBuildFinished()));
			}
			Finding f = new Finding(Rule.NOT_CONNECTED, lines);
			return verdict(WorkerState.OFFLINE, since, List.of(f), evidence(List.of(f)));
		}

		/**
		 * When the worker went away: the disconnect a poll saw; failing that (it was already gone when
		 * fleet-health first looked), the last sign of life known; failing that, when it was first seen.
		 */
		private Instant offlineSince() {
			if (this.worker.disconnectedAt() != null) {
				return this.worker.disconnectedAt();
			}
			Instant lastSign = Durations.latest(this.worker.lastSeenAt(), this.worker.lastBuildFinished());
			return (lastSign != null && this.worker.everConnected()) ? lastSign : this.worker.firstSeenAt();
		}

		// ---- flaky-host

		private Finding hostFailureRatio() {
			if (this.counts.total() < properties.minBuilds() || this.counts.hostFailure() == 0
					|| this.counts.hostFailureRatio() < properties.flakyRatio()) {
				return null;
			}
			return new Finding(Rule.HOST_FAILURE_RATIO,
					String.format(Locale.ROOT, "%d of %d builds in the last %s were host failures (%.2f >= %.2f)",
							this.counts.hostFailure(), this.counts.total(), Durations.human(properties.window()),
							this.counts.hostFailureRatio(), properties.flakyRatio()));
		}

		private Finding connectionFlapping() {
			int own = 0;
			int masters = 0;
			for (Instant at : this.worker.disconnects()) {
				if (this.trouble.disconnect(at) != null) {
					masters++;
				}
				else {
					own++;
				}
			}
			if (own < properties.flappingDisconnects()) {
				return null;
			}
			return new Finding(Rule.CONNECTION_FLAPPING, "disconnected " + own + " times in the last "
					+ Durations.human(properties.window()) + " (connection flapping)"
					+ ((masters > 0) ? "; " + masters + " more disconnect" + BuildJudge.plural(masters)
							+ " came with master restarts or outages and do not count" : ""));
		}

		private Finding poolConcentration() {
			List<String> lines = this.judged.concentrated(this.worker.sourceId());
			return lines.isEmpty() ? null : new Finding(Rule.POOL_CONCENTRATION, lines);
		}

		private Finding sameStepAcrossBuilders() {
			String line = this.judged.sameStep(this.worker.sourceId());
			return (line != null) ? new Finding(Rule.SAME_STEP_ACROSS_BUILDERS, line) : null;
		}

		// ---- failing-build

		private Finding failingStreak() {
			List<String> lines = new ArrayList<>();
			for (Long builderId : this.round.served(this.worker.sourceId())) {
				Streaks.Streak streak = this.streaks.get(builderId);
				if (streak != null) {
					lines.add(describe(streak));
				}
			}
			lines.sort(null);
			return lines.isEmpty() ? null : new Finding(Rule.FAILING_STREAK, lines);
		}

		private String describe(Streaks.Streak streak) {
			List<BuildFacts> run = streak.run();
			String line = "'" + this.round.builderName(streak.builderId()) + "' failed its last " + run.size()
					+ " builds in step '" + ((streak.step() != null) ? streak.step() : "unknown") + "' since "
					+ Durations.at(run.get(0).startedAt()) + " (" + names(run) + ")";
			List<String> workers = run.stream()
				.map((b) -> this.round.workerName(b.workerId()))
				.distinct()
				.toList();
			if (workers.size() > 1 || !Objects.equals(run.get(0).workerId(), this.worker.sourceId())) {
				line += " on " + String.join(", ", workers);
			}
			int passedOn = passedOnPeers(run);
			if (passedOn > 0) {
				line += "; the same revisions passed on " + passedOn + " peer" + BuildJudge.plural(passedOn);
			}
			return line;
		}

		private int passedOnPeers(List<BuildFacts> run) {
			Peers peers = this.round.peers();
			Set<Long> passed = new HashSet<>();
			run.forEach((b) -> peers.results(b).addPassedTo(passed));
			return passed.size();
		}

		// ---- healthy

		private Verdict healthy() {
			List<String> evidence = new ArrayList<>();
			evidence.add(summary());
			if (this.counts.hostFailure() > 0) {
				evidence.addAll(hostFailureDetails());
			}
			return verdict(WorkerState.HEALTHY, null, List.of(), evidence);
		}

		private String summary() {
			BuildCounts c = this.counts;
			if (c.total() == 0) {
				return "no finished builds in the window";
			}
			List<String> parts = new ArrayList<>();
			parts.add(c.success() + " succeeded");
			if (c.failure() > 0) {
				parts.add(c.failure() + " failed");
			}
			if (c.hostFailure() > 0) {
				parts.add(c.hostFailure() + " host failure" + BuildJudge.plural(c.hostFailure()));
			}
			if (c.codeBreak() > 0) {
				parts.add(c.codeBreak() + " code break" + BuildJudge.plural(c.codeBreak()));
			}
			return c.total() + " build" + BuildJudge.plural(c.total()) + " in the window: " + String.join(", ", parts);
		}

		// ---- evidence and context

		private Verdict verdict(WorkerState state, Instant factualSince, List<Finding> findings, List<String> evidence) {
			List<Rule> rules = new ArrayList<>();
			findings.forEach((f) -> rules.add(f.rule()));
			evidence.addAll(context(rules));
			return new Verdict(state, since(state, factualSince), evidence, this.counts, this.outcomes, rules);
		}

		/** Not deciding, but worth saying: still disconnected, builds the master ended, code breaks, version drift. */
		private List<String> context(List<Rule> rules) {
			List<String> lines = new ArrayList<>();
			if (!this.worker.connected() && !rules.contains(Rule.NOT_CONNECTED)
					&& !rules.contains(Rule.NEVER_CONNECTED)) {
				Instant since = offlineSince();
				lines.add("disconnected since " + Durations.at(since) + " ("
						+ Durations.between(since, this.round.now) + ", less than "
						+ Durations.human(properties.offlineAfter()) + ")");
			}
			if (this.counts.codeBreak() > 0 && !rules.isEmpty()) {
				lines.add(this.counts.codeBreak() + " code break" + BuildJudge.plural(this.counts.codeBreak())
						+ " (revisions that failed on most builders that built them) count against nobody");
			}
			if (this.counts.interrupted() > 0) {
				lines.add(interrupted());
			}
			String drift = this.versions.drift(this.worker.version());
			if (drift != null) {
				lines.add(drift);
				rules.add(Rule.VERSION_DRIFT);
			}
			return lines;
		}

		private String interrupted() {
			BuildFacts example = this.own.stream()
				.filter((b) -> this.outcomes.get(b.id()) == Outcome.INTERRUPTED)
				.reduce((a, b) -> b)
				.orElseThrow();
			int n = this.counts.interrupted();
			return n + " build" + BuildJudge.plural(n) + " ended by the master or an outage "
					+ ((n == 1) ? "counts" : "count") + " against nobody (e.g. '"
					+ this.round.builderName(example.builderId()) + "' #" + example.number() + ": "
					+ this.judged.reason(example.id()).text() + ")";
		}

		private List<String> hostFailureDetails() {
			Map<Judgements.Kind, List<BuildFacts>> byKind = new LinkedHashMap<>();
			for (BuildFacts b : this.own) {
				Judgements.Reason reason = this.judged.reason(b.id());
				if (this.outcomes.get(b.id()) == Outcome.HOST_FAILURE && reason != null) {
					byKind.computeIfAbsent(reason.kind(), (k) -> new ArrayList<>()).add(b);
				}
			}
			List<String> lines = new ArrayList<>();
			byKind.forEach((kind, builds) -> {
				String example = this.judged.reason(builds.get(0).id()).text();
				String what = switch (kind) {
					case INTERMITTENT -> "failed intermittently, e.g. " + example.substring("intermittent: ".length());
					case INFRASTRUCTURE -> "failed in " + example;
					case CONCENTRATED, SAME_STEP -> example;
					default -> "ended in " + example;
				};
				if (kind == Judgements.Kind.INFRASTRUCTURE) {
					// Group by step: "failed in infrastructure step 'git'", one line per step.
					builds.stream()
						.collect(Collectors.groupingBy((b) -> this.judged.reason(b.id()).text(), LinkedHashMap::new,
								Collectors.toList()))
						.forEach((text, same) -> lines.add(
								same.size() + " build" + BuildJudge.plural(same.size()) + " failed in " + text + " ("
										+ names(same) + ")"));
					return;
				}
				lines.add(builds.size() + " build" + BuildJudge.plural(builds.size()) + " " + what + " ("
						+ names(builds) + ")");
			});
			return lines;
		}

		private String names(List<BuildFacts> builds) {
			int shown = Math.min(builds.size(), 5);
			String names = builds.subList(0, shown)
				.stream()
				.map((b) -> "'" + this.round.builderName(b.builderId()) + "' #" + b.number())
				.collect(Collectors.joining(", "));
			return (builds.size() > shown) ? names + ", ..." : names;
		}

		/**
		 * Since when: kept while the state holds; the state a master outage interrupted keeps its real start
		 * (a silent master says nothing about a worker); else the fact's own time; else now.
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

	/** A rule that fired, and the evidence lines that prove it. */
	private record Finding(Rule rule, List<String> lines) {

		Finding(Rule rule, String line) {
			this(rule, List.of(line));
		}

	}

	/**
	 * The version most of the fleet runs and the versions older than it. Versions that say nothing about age
	 * ({@link WorkerVersion}) are neither counted nor flagged. Compared once per distinct version, not per worker.
	 */
	private record Versions(WorkerVersion common, Map<String, Boolean> older) {

		static Versions of(List<WorkerFacts> workers) {
			Map<String, WorkerVersion> parsed = new HashMap<>();
			Map<String, Long> counts = new HashMap<>();
			for (WorkerFacts w : workers) {
				if (w.version() != null) {
					WorkerVersion v = parsed.computeIfAbsent(w.version(), WorkerVersion::parse);
					if (v != null) {
						counts.merge(w.version(), 1L, Long::sum);
					}
				}
			}
			WorkerVersion common = counts.entrySet()
				.stream()
				.max(Map.Entry.<String, Long>comparingByValue()
					.thenComparing((e) -> parsed.get(e.getKey())))
				.map((e) -> parsed.get(e.getKey()))
				.orElse(null);
			Map<String, Boolean> older = new HashMap<>();
			parsed.forEach((raw, v) -> older.put(raw, common != null && v != null && v.compareTo(common) < 0));
			return new Versions(common, older);
		}

		String drift(String version) {
			if (version == null || !this.older.getOrDefault(version, false)) {
				return null;
			}
			return "runs buildbot-worker " + version + "; most of the fleet runs " + this.common
					+ " (version drift: upgrade)";
		}

	}

}
