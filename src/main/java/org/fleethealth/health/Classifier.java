package org.fleethealth.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.health.Facts.BuilderFacts;
import org.fleethealth.health.Facts.MasterFacts;
import org.fleethealth.health.Facts.WorkerFacts;

/**
 * Classifies every worker of a master. Precedence: {@code unknown} (its master is silent, so nothing can
 * be said and nobody is blamed), then {@code offline}, {@code flaky-host}, {@code failing-build}, and
 * {@code healthy}.
 *
 * <p>
 * "The definition of flaky should be that the slave is broken, not the builds on the slave": a build counts
 * against its host only when it ended in exception/retry, failed in an infrastructure step, or failed on a
 * revision that passed on a peer (same build class) while this worker's own results on that builder flip
 * between pass and fail. A revision that failed on (nearly) all peers is a code break and counts against
 * nobody.
 */
public class Classifier {

	private static final String INTERMITTENT = "intermittent: ";

	// Compiled once: every worker's version is compared with the fleet's in every round.
	private static final Pattern VERSION_PARTS = Pattern.compile("[.\\-+]");

	private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");

	private static final int SUCCESS = 0;

	private static final int WARNINGS = 1;

	private static final int FAILURE = 2;

	private static final int EXCEPTION = 4;

	private static final int RETRY = 5;

	private final ClassificationProperties properties;

	// Lower-cased once: asked for every failed build of every round.
	private final Set<String> infrastructureSteps;

	public Classifier(ClassificationProperties properties) {
		this.properties = properties;
		this.infrastructureSteps = properties.infrastructureSteps()
			.stream()
			.map((s) -> s.toLowerCase(Locale.ROOT))
			.collect(Collectors.toSet());
	}

	/** Classifies every worker of the master at {@code now}; the result is keyed by worker name. */
	public Map<String, Verdict> classify(MasterFacts master, Instant now) {
		Map<String, Verdict> verdicts = new LinkedHashMap<>();
		Instant windowStart = now.minus(this.properties.window());
		List<BuildFacts> windowBuilds = master.builds()
			.stream()
			.filter((b) -> b.complete() && b.results() != null && b.completeAt() != null)
			.filter((b) -> !b.startedAt().isBefore(windowStart))
			.sorted(Comparator.comparingLong(BuildFacts::id))
			.toList();
		Peers peers = new Peers(windowBuilds, master.builders());
		Versions versions = Versions.of(master.workers());
		// Each worker's own builds, in id order: one pass over the window, not one per worker.
		Map<Long, List<BuildFacts>> byWorker = windowBuilds.stream()
			.filter((b) -> b.workerId() != null)
			.collect(Collectors.groupingBy(BuildFacts::workerId));
		for (WorkerFacts worker : master.workers()) {
			List<BuildFacts> own = byWorker.getOrDefault(worker.sourceId(), List.of());
			verdicts.put(worker.name(), classify(master, worker, own, peers, versions, now));
		}
		return verdicts;
	}

	private Verdict classify(MasterFacts master, WorkerFacts worker, List<BuildFacts> own, Peers peers,
			Versions versions, Instant now) {
		List<String> evidence = new ArrayList<>();
		if (isStale(master, now)) {
			evidence.add((master.lastAnswer() != null)
					? "master '" + master.master() + "' has not answered since " + at(master.lastAnswer()) + " ("
							+ human(Duration.between(master.lastAnswer(), now)) + ")"
					: "master '" + master.master() + "' has not answered yet");
			if (master.lastError() != null) {
				evidence.add("last error: " + master.lastError());
			}
			return verdict(worker, WorkerState.UNKNOWN, null, evidence, BuildCounts.NONE, Map.of(), now);
		}

		Map<Long, Outcome> outcomes = new LinkedHashMap<>();
		Map<Long, String> reasons = new HashMap<>();
		BuildCounts counts = BuildCounts.NONE;
		for (BuildFacts build : own) {
			Outcome outcome = outcome(build, own, peers, reasons);
			if (outcome != null) {
				outcomes.put(build.id(), outcome);
				counts = counts.plus(outcome);
			}
		}

		Instant offlineSince = offlineSince(worker);
		if (!worker.connected()) {
			if (!worker.everConnected()) {
				evidence.add("configured on master '" + master.master() + "' but has never connected");
				return verdict(worker, WorkerState.OFFLINE, offlineSince, evidence, counts, outcomes, now);
			}
			Duration down = Duration.between(offlineSince, now);
			if (down.compareTo(this.properties.offlineAfter()) >= 0) {
				evidence.add("not connected since " + at(offlineSince) + " (" + human(down) + ")");
				if (worker.lastBuildFinished() != null) {
					evidence.add("last build finished " + at(worker.lastBuildFinished()));
				}
				return verdict(worker, WorkerState.OFFLINE, offlineSince, evidence, counts, outcomes, now);
			}
			evidence.add("disconnected since " + at(offlineSince) + " (" + human(down) + ", less than "
					+ human(this.properties.offlineAfter()) + ")");
		}

		List<String> hostEvidence = new ArrayList<>();
		boolean flaky = false;
		if (counts.total() >= this.properties.minBuilds()
				&& counts.hostFailureRatio() >= this.properties.flakyRatio() && counts.hostFailure() > 0) {
			flaky = true;
			hostEvidence.add(String.format(Locale.ROOT, "%d of %d builds in the last %s were host failures (%.2f >= %.2f)",
					counts.hostFailure(), counts.total(), human(this.properties.window()), counts.hostFailureRatio(),
					this.properties.flakyRatio()));
		}
		if (worker.disconnectsInWindow() >= this.properties.flappingDisconnects()) {
			flaky = true;
			hostEvidence.add("disconnected " + worker.disconnectsInWindow() + " times in the last "
					+ human(this.properties.window()) + " (connection flapping)");
		}
		if (flaky) {
			evidence.addAll(hostEvidence);
			evidence.addAll(hostFailureDetails(own, outcomes, reasons, master.builders()));
			addContext(worker, versions, evidence);
			return verdict(worker, WorkerState.FLAKY_HOST, null, evidence, counts, outcomes, now);
		}

		List<String> streaks = failingStreaks(own, outcomes, master.builders(), peers);
		if (!streaks.isEmpty()) {
			evidence.addAll(streaks);
			addContext(worker, versions, evidence);
			return verdict(worker, WorkerState.FAILING_BUILD, null, evidence, counts, outcomes, now);
		}

		evidence.add(summary(counts));
		if (counts.hostFailure() > 0) {
			evidence.addAll(hostFailureDetails(own, outcomes, reasons, master.builders()));
		}
		addContext(worker, versions, evidence);
		return verdict(worker, WorkerState.HEALTHY, null, evidence, counts, outcomes, now);
	}

	private boolean isStale(MasterFacts master, Instant now) {
		return master.lastAnswer() == null
				|| Duration.between(master.lastAnswer(), now).compareTo(this.properties.staleAfter()) > 0;
	}

	/**
	 * When the worker went away: the disconnect a poll saw; failing that (it was already gone when
	 * fleet-health first looked), the last sign of life known; failing that, when it was first seen.
	 */
	private static Instant offlineSince(WorkerFacts worker) {
		if (worker.disconnectedAt() != null) {
			return worker.disconnectedAt();
		}
		Instant lastSign = latest(worker.lastSeenAt(), worker.lastBuildFinished());
		return (lastSign != null && worker.everConnected()) ? lastSign : worker.firstSeenAt();
	}

	private Verdict verdict(WorkerFacts worker, WorkerState state, Instant factualSince, List<String> evidence,
			BuildCounts counts, Map<Long, Outcome> outcomes, Instant now) {
		Instant since;
		if (state == worker.previousState() && worker.previousSince() != null) {
			since = worker.previousSince();
		}
		else if (factualSince != null && !factualSince.isAfter(now)) {
			since = factualSince;
		}
		else {
			since = now;
		}
		return new Verdict(state, since, evidence, counts, outcomes);
	}

	/** What one finished build says about its worker; {@code null} for builds that say nothing. */
	private Outcome outcome(BuildFacts build, List<BuildFacts> own, Peers peers, Map<Long, String> reasons) {
		int results = build.results();
		if (results == SUCCESS || results == WARNINGS) {
			return Outcome.SUCCESS;
		}
		if (results == EXCEPTION || results == RETRY) {
			reasons.put(build.id(), (results == EXCEPTION) ? "exception" : "retry");
			return Outcome.HOST_FAILURE;
		}
		if (results != FAILURE) {
			// skipped, cancelled, or a code this version does not know: neither for nor against the host
			return null;
		}
		if (build.failingStep() != null && this.infrastructureSteps.contains(build.failingStep().toLowerCase(Locale.ROOT))) {
			reasons.put(build.id(), "infrastructure step '" + build.failingStep() + "'");
			return Outcome.HOST_FAILURE;
		}
		Peers.Results peer = peers.results(build);
		int judged = peer.passed() + peer.failed();
		if (peer.failed() > 0 && (double) peer.failed() / judged >= this.properties.codeBreakRatio()) {
			reasons.put(build.id(), "code break: revision failed on " + peer.failed() + " of " + judged + " peers");
			return Outcome.CODE_BREAK;
		}
		if (peer.passed() > 0 && flips(own, build.builderId()) >= this.properties.intermittentFlips()) {
			reasons.put(build.id(),
					INTERMITTENT + "in '" + step(build) + "' on revision " + shortRev(build.revision())
							+ " that passed on " + peer.passed() + " peer" + plural(peer.passed()) + " ("
							+ String.join(", ", peer.classes()) + ") while this worker alternates pass/fail");
			return Outcome.HOST_FAILURE;
		}
		return Outcome.FAILURE;
	}

	/** How often a worker's results on one builder switch between pass and fail. */
	private static int flips(List<BuildFacts> own, long builderId) {
		int flips = 0;
		Boolean last = null;
		for (BuildFacts b : own) {
			if (b.builderId() != builderId || b.results() == null) {
				continue;
			}
			Boolean passed = (b.results() == SUCCESS || b.results() == WARNINGS) ? Boolean.TRUE
					: (b.results() == FAILURE) ? Boolean.FALSE : null;
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

	private List<String> hostFailureDetails(List<BuildFacts> own, Map<Long, Outcome> outcomes,
			Map<Long, String> reasons, Map<Long, BuilderFacts> builders) {
		Map<String, List<BuildFacts>> byKind = new LinkedHashMap<>();
		Map<String, String> example = new HashMap<>();
		for (BuildFacts build : own) {
			if (outcomes.get(build.id()) != Outcome.HOST_FAILURE) {
				continue;
			}
			String reason = reasons.getOrDefault(build.id(), "host failure");
			// Intermittent failures differ in revision; group them and quote the first as an example.
			String kind = reason.startsWith(INTERMITTENT) ? INTERMITTENT : reason;
			byKind.computeIfAbsent(kind, (k) -> new ArrayList<>()).add(build);
			example.putIfAbsent(kind, reason);
		}
		List<String> lines = new ArrayList<>();
		byKind.forEach((kind, builds) -> {
			String what;
			if (kind.equals(INTERMITTENT)) {
				what = "failed intermittently, e.g. " + example.get(kind).substring(INTERMITTENT.length());
			}
			else if (kind.startsWith("infrastructure")) {
				what = "failed in " + kind;
			}
			else {
				what = "ended in " + kind;
			}
			lines.add(builds.size() + " build" + plural(builds.size()) + " " + what + " (" + names(builds, builders)
					+ ")");
		});
		return lines;
	}

	private List<String> failingStreaks(List<BuildFacts> own, Map<Long, Outcome> outcomes,
			Map<Long, BuilderFacts> builders, Peers peers) {
		Map<Long, List<BuildFacts>> byBuilder = own.stream()
			.filter((b) -> outcomes.containsKey(b.id()))
			.collect(Collectors.groupingBy(BuildFacts::builderId, LinkedHashMap::new, Collectors.toList()));
		List<String> lines = new ArrayList<>();
		byBuilder.forEach((builderId, builds) -> {
			List<BuildFacts> newestFirst = new ArrayList<>(builds);
			Collections.reverse(newestFirst);
			int streak = this.properties.failingStreak();
			if (newestFirst.size() < streak) {
				return;
			}
			List<BuildFacts> last = newestFirst.subList(0, streak);
			String step = last.get(0).failingStep();
			boolean failing = last.stream()
				.allMatch((b) -> outcomes.get(b.id()) == Outcome.FAILURE && Objects.equals(b.failingStep(), step));
			if (!failing) {
				return;
			}
			// Count the whole run of failures in that step, not just the threshold.
			int run = 0;
			for (BuildFacts b : newestFirst) {
				if (outcomes.get(b.id()) == Outcome.FAILURE && Objects.equals(b.failingStep(), step)) {
					run++;
				}
				else {
					break;
				}
			}
			BuildFacts firstOfRun = newestFirst.get(run - 1);
			Set<Long> passedOn = new HashSet<>();
			newestFirst.subList(0, run).forEach((b) -> peers.results(b).addPassedTo(passedOn));
			List<BuildFacts> runOldestFirst = new ArrayList<>(newestFirst.subList(0, run));
			Collections.reverse(runOldestFirst);
			String line = "'" + builderName(builderId, builders) + "' failed its last " + run + " builds in step '"
					+ ((step != null) ? step : "unknown") + "' since " + at(firstOfRun.startedAt()) + " ("
					+ names(runOldestFirst, builders) + ")";
			if (!passedOn.isEmpty()) {
				line += "; the same revisions passed on " + passedOn.size() + " peer" + plural(passedOn.size());
			}
			lines.add(line);
		});
		return lines;
	}

	private static String summary(BuildCounts counts) {
		if (counts.total() == 0) {
			return "no finished builds in the window";
		}
		List<String> parts = new ArrayList<>();
		parts.add(counts.success() + " succeeded");
		if (counts.failure() > 0) {
			parts.add(counts.failure() + " failed");
		}
		if (counts.hostFailure() > 0) {
			parts.add(counts.hostFailure() + " host failure" + plural(counts.hostFailure()));
		}
		if (counts.codeBreak() > 0) {
			parts.add(counts.codeBreak() + " code break" + plural(counts.codeBreak()));
		}
		return counts.total() + " build" + plural(counts.total()) + " in the window: " + String.join(", ", parts);
	}

	private static void addContext(WorkerFacts worker, Versions versions, List<String> evidence) {
		if (versions.older().contains(worker.version())) {
			evidence.add("runs buildbot-worker " + worker.version() + "; most of the fleet runs " + versions.common()
					+ " (version drift: upgrade)");
		}
	}

	/**
	 * The fleet's common version and the versions older than it. Compared once per distinct version, not once per
	 * worker: a fleet runs a handful of versions.
	 */
	private record Versions(String common, Set<String> older) {

		static Versions of(List<WorkerFacts> workers) {
			String common = commonVersion(workers);
			Set<String> older = new HashSet<>();
			if (common != null) {
				workers.stream()
					.map(WorkerFacts::version)
					.filter(Objects::nonNull)
					.distinct()
					.filter((v) -> compareVersions(v, common) < 0)
					.forEach(older::add);
			}
			return new Versions(common, older);
		}

	}

	/** The version most connected workers run (ties broken towards the newer). */
	static String commonVersion(List<WorkerFacts> workers) {
		Map<String, Long> counts = workers.stream()
			.filter((w) -> w.version() != null)
			.collect(Collectors.groupingBy(WorkerFacts::version, Collectors.counting()));
		return counts.entrySet()
			.stream()
			.max(Map.Entry.<String, Long>comparingByValue()
				.thenComparing(Map.Entry.comparingByKey(Classifier::compareVersions)))
			.map(Map.Entry::getKey)
			.orElse(null);
	}

	static int compareVersions(String a, String b) {
		String[] x = VERSION_PARTS.split(a);
		String[] y = VERSION_PARTS.split(b);
		for (int i = 0; i < Math.max(x.length, y.length); i++) {
			String p = (i < x.length) ? x[i] : "0";
			String q = (i < y.length) ? y[i] : "0";
			int c = (DIGITS.matcher(p).matches() && DIGITS.matcher(q).matches())
					? Long.compare(Long.parseLong(p), Long.parseLong(q))
					: p.compareTo(q);
			if (c != 0) {
				return c;
			}
		}
		return 0;
	}

	private static String names(List<BuildFacts> builds, Map<Long, BuilderFacts> builders) {
		int shown = Math.min(builds.size(), 5);
		String names = builds.subList(0, shown)
			.stream()
			.map((b) -> "'" + builderName(b.builderId(), builders) + "' #" + b.number())
			.collect(Collectors.joining(", "));
		return (builds.size() > shown) ? names + ", ..." : names;
	}

	private static String builderName(long builderId, Map<Long, BuilderFacts> builders) {
		BuilderFacts builder = builders.get(builderId);
		return (builder != null) ? builder.name() : "builder " + builderId;
	}

	private static String step(BuildFacts build) {
		return (build.failingStep() != null) ? build.failingStep() : "an unknown step";
	}

	private static String shortRev(String revision) {
		if (revision == null) {
			return "(unknown)";
		}
		return (revision.length() > 12) ? revision.substring(0, 12) : revision;
	}

	private static String plural(int n) {
		return (n == 1) ? "" : "s";
	}

	private static Instant latest(Instant a, Instant b) {
		if (a == null) {
			return b;
		}
		return (b == null || a.isAfter(b)) ? a : b;
	}

	/** Instants in evidence, to the second: people read these. */
	static String at(Instant instant) {
		return instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
	}

	/** Durations as people say them: "3d 4h", "25m", "40s". */
	static String human(Duration d) {
		long s = Math.max(0, d.getSeconds());
		if (s >= 86400) {
			return (s / 86400) + "d" + ((s % 86400 >= 3600) ? " " + (s % 86400) / 3600 + "h" : "");
		}
		if (s >= 3600) {
			return (s / 3600) + "h" + ((s % 3600 >= 60) ? " " + (s % 3600) / 60 + "m" : "");
		}
		if (s >= 60) {
			return (s / 60) + "m";
		}
		return s + "s";
	}

}
