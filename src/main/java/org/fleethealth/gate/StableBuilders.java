package org.fleethealth.gate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.fleethealth.fleet.BuildSummary;
import org.fleethealth.fleet.FleetBuild;
import org.fleethealth.fleet.FleetBuilder;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.WorkerBuilders;
import org.fleethealth.gate.GateFacts.BuildFacts;
import org.fleethealth.gate.GateFacts.Candidate;
import org.fleethealth.gate.GateFacts.StableBuilder;
import org.fleethealth.gate.GateFacts.WorkerFacts;
import org.fleethealth.health.BuilderTags;
import org.fleethealth.health.ClassificationProperties;
import org.fleethealth.health.JudgedBuild;
import org.fleethealth.health.Outcome;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;
import org.fleethealth.source.BuildResult;
import org.springframework.stereotype.Component;

/**
 * Reads what the release gate judges from the stored fleet: a master's stable builders on their branches, with their
 * builds that passed or failed, what the classification made of them ({@link GateJudgements}) and the workers that
 * serve them ({@link StableBuilder}); and every builder as a candidate for the stable set ({@link Candidate}).
 */
@Component
class StableBuilders {

	/** A builder's builds, the last to finish first (those not finished last), then the newest id first. */
	private static final Comparator<BuildSummary> NEWEST_FIRST = Comparator
		.comparing(BuildSummary::completeAt, Comparator.nullsLast(Comparator.reverseOrder()))
		.thenComparing(Comparator.comparingLong(BuildSummary::id).reversed());

	private final FleetQueries fleet;

	private final GateProperties properties;

	private final GateJudgements judgements;

	private final BuilderTags tags;

	private final ClassificationProperties classification;

	StableBuilders(FleetQueries fleet, GateProperties properties, GateJudgements judgements, BuilderTags tags,
			ClassificationProperties classification) {
		this.fleet = fleet;
		this.properties = properties;
		this.judgements = judgements;
		this.tags = tags;
		this.classification = classification;
	}

	/**
	 * A master's stable builders, each on its branches, and the configured ones it does not have. {@code fresh} holds
	 * what this instance's classification just made of each build: the stable builders' part of it is stored first.
	 * Without it the stored judgements are read.
	 */
	List<StableBuilder> of(String master, List<WorkerReport> classified, Map<Long, JudgedBuild> fresh, Instant now) {
		Fleet fleet = fleet(master, classified);
		Map<Long, FleetBuilder> stable = new LinkedHashMap<>();
		fleet.current.values().stream().filter((b) -> stableBecause(b, fleet.configured) != null).forEach((b) -> stable
			.put(b.buildbotId(), b));
		Map<Long, List<BuildSummary>> window = new HashMap<>();
		for (BuildSummary b : this.fleet.buildSummariesSince(master, now.minus(this.classification.window()))) {
			if (b.complete() && stable.containsKey(b.builderId())) {
				window.computeIfAbsent(b.builderId(), (id) -> new ArrayList<>()).add(b);
			}
		}
		// Each builder's few dozen builds sorted, not the tens of thousands of the stable set at once (every round).
		window.values().forEach((builds) -> builds.sort(NEWEST_FIRST));
		Map<Long, JudgedBuild> judged;
		if (fresh != null) {
			Map<Long, JudgedBuild> mine = new HashMap<>();
			window.values().forEach((builds) -> builds.forEach((b) -> {
				JudgedBuild j = fresh.get(b.id());
				if (j != null) {
					mine.put(b.id(), j);
				}
			}));
			judged = this.judgements.store(master, mine);
		}
		else {
			judged = this.judgements.load(master);
		}
		Map<Long, FleetBuild> lastRows = this.fleet.lastDecisiveBuildOfEachBuilder(master);
		List<StableBuilder> builders = new ArrayList<>();
		List<StableBuilder> unplaced = new ArrayList<>();
		Set<String> untaggedBranches = new LinkedHashSet<>();
		for (FleetBuilder b : stable.values()) {
			for (StableBuilder on : onBranches(b, stableBecause(b, fleet.configured), fleet,
					window.getOrDefault(b.buildbotId(), List.of()), lastRows.get(b.buildbotId()), judged)) {
				if (on.branch() == null) {
					unplaced.add(on);
					continue;
				}
				if (this.properties.excluded(on.branch())) {
					continue;
				}
				if (this.tags.branch(b.tags()) == null && !on.branch().equals(Branches.NONE)) {
					untaggedBranches.add(on.branch());
				}
				builders.add(on);
			}
		}
		// A builder that nothing places (no branch tag, no build yet) is judged where the builders like it build: on
		// a fleet without branch tags, a stable builder that never ran stands in the way of every branch.
		untaggedBranches.removeIf(this.properties::excluded);
		Set<String> where = untaggedBranches.isEmpty() ? Set.of(Branches.NONE) : untaggedBranches;
		unplaced.forEach((u) -> where.forEach((branch) -> builders.add(new StableBuilder(u.name(), u.stableBecause(),
				true, branch, u.tags(), u.workers(), u.builds(), u.lastFinished()))));
		fleet.unknownConfigured()
			.forEach((name) -> builders.add(new StableBuilder(name, GateRules.CONFIGURATION, false, null, List.of(),
					List.of(), List.of(), null)));
		return builders;
	}

	/**
	 * Every builder of a master, and the configured ones it does not have, as a candidate for the stable set, with
	 * its builds in the {@code stable-after} window.
	 */
	List<Candidate> candidates(String master, List<WorkerReport> classified, Instant now) {
		Fleet fleet = fleet(master, classified);
		Map<Long, JudgedBuild> judged = this.judgements.load(master);
		Map<Long, List<Integer>> windowResults = new HashMap<>();
		Map<Long, Map<String, Integer>> hostFailures = new HashMap<>();
		this.fleet.buildsStartedSince(master, now.minus(this.properties.stableAfter()))
			.stream()
			.filter((b) -> b.complete() && BuildResult.decisive(b.results()))
			.forEach((b) -> {
				JudgedBuild j = judged.get(b.buildbotId());
				if (j != null && (j.outcome() == Outcome.CODE_BREAK || j.outcome() == Outcome.INTERRUPTED)) {
					// Says nothing about the builder: a commit that broke every builder, or the master ending it.
					return;
				}
				windowResults.computeIfAbsent(b.builderBuildbotId(), (id) -> new ArrayList<>()).add(b.results());
				if (j != null && j.outcome() == Outcome.HOST_FAILURE && j.worker() != null) {
					hostFailures.computeIfAbsent(b.builderBuildbotId(), (id) -> new LinkedHashMap<>())
						.merge(j.worker(), 1, Integer::sum);
				}
			});
		Map<Long, Instant> firstStarted = this.fleet.firstBuildStartedByBuilder(master);
		List<Candidate> candidates = new ArrayList<>();
		for (FleetBuilder b : fleet.current.values()) {
			if (this.properties.excluded(this.tags.branch(b.tags()))) {
				continue;
			}
			long id = b.buildbotId();
			candidates.add(new Candidate(b.name(), stableBecause(b, fleet.configured), true, fleet.serving(id),
					windowResults.getOrDefault(id, List.of()), firstStarted.get(id), hostFailures.get(id)));
		}
		fleet.unknownConfigured()
			.forEach((name) -> candidates
				.add(new Candidate(name, GateRules.CONFIGURATION, false, List.of(), List.of(), null, null)));
		return candidates;
	}

	/**
	 * A stable builder on each of its branches: the one its tags name, else each its builds name (a build without
	 * one is on {@link Branches#NONE}), with its builds there that passed or failed, newest first; on branch
	 * {@code null} when neither places it.
	 */
	private List<StableBuilder> onBranches(FleetBuilder b, String because, Fleet fleet,
			List<BuildSummary> window, FleetBuild lastRow, Map<Long, JudgedBuild> judged) {
		String tagged = this.tags.branch(b.tags());
		Map<String, List<BuildFacts>> decisive = new LinkedHashMap<>();
		Map<String, Instant> finished = new HashMap<>();
		for (BuildSummary s : window) {
			String branch = (tagged != null) ? tagged : Objects.requireNonNullElse(s.branch(), Branches.NONE);
			if (s.completeAt() != null) {
				finished.merge(branch, s.completeAt(), (x, y) -> y.isAfter(x) ? y : x);
			}
			if (BuildResult.decisive(s.results())) {
				decisive.computeIfAbsent(branch, (k) -> new ArrayList<>())
					.add(facts(fleet.urls(), b, s.id(), s.number(), s.results(), s.completeAt(), s.revision(),
							s.failingStep(), fleet.workerNames.get(s.workerId()), judged));
			}
		}
		if (lastRow != null) {
			String branch = (tagged != null) ? tagged : Objects.requireNonNullElse(lastRow.branch(), Branches.NONE);
			if (!decisive.containsKey(branch)) {
				// Older than the window: what it was is all that is known, unjudged.
				decisive.put(branch, List.of(facts(fleet.urls(), b, lastRow.buildbotId(), lastRow.number(),
						lastRow.results(), lastRow.completeAt(), lastRow.revision(), lastRow.failingStep(),
						fleet.workerNames.get(lastRow.workerBuildbotId()), judged)));
			}
		}
		Set<String> branches = new LinkedHashSet<>();
		if (tagged != null) {
			branches.add(tagged);
		}
		branches.addAll(decisive.keySet());
		branches.addAll(finished.keySet());
		if (branches.isEmpty()) {
			// Nothing places it yet: the caller decides (branch null).
			return List.of(new StableBuilder(b.name(), because, true, null, b.tags(),
					fleet.serving(b.buildbotId()), List.of(), b.lastBuildFinishedAt()));
		}
		List<StableBuilder> result = new ArrayList<>();
		for (String branch : branches) {
			// One branch: the builder's own record of its last finished build holds, also for builds older than the window.
			Instant last = (branches.size() == 1) ? b.lastBuildFinishedAt() : finished.get(branch);
			result.add(new StableBuilder(b.name(), because, true, branch, b.tags(),
					fleet.serving(b.buildbotId()), decisive.getOrDefault(branch, List.of()), last));
		}
		return result;
	}

	private BuildFacts facts(FleetQueries.BuildUrls urls, FleetBuilder builder, long id, int number, Integer results, Instant completeAt,
			String revision, String failingStep, String worker, Map<Long, JudgedBuild> judged) {
		String result = (results == null) ? null : BuildResult.label(results);
		GateReport.LastBuild build = new GateReport.LastBuild(number, results, result,
				urls.of(builder.buildbotId(), number), completeAt, revision, failingStep);
		JudgedBuild j = judged.get(id);
		Outcome outcome = (j != null) ? j.outcome() : (BuildResult.passed(results) ? Outcome.SUCCESS : null);
		return new BuildFacts(build, (j != null && j.worker() != null) ? j.worker() : worker, outcome,
				(j != null) ? j.reason() : null);
	}

	/** Whether a builder is in its master's stable set ({@link ReleaseGates#isStable}). */
	boolean isStable(FleetBuilder builder) {
		return this.properties.gated(builder.master())
				&& stableBecause(builder, this.properties.configuredStable(builder.master())) != null;
	}

	private String stableBecause(FleetBuilder builder, Set<String> configured) {
		if (this.properties.excluded(this.tags.branch(builder.tags()))) {
			return null;
		}
		boolean tagged = builder.tags().stream().anyMatch((t) -> t.equalsIgnoreCase(this.properties.stableTag()));
		if (tagged) {
			return GateRules.TAG;
		}
		boolean named = configured.contains(builder.name()) || configured.contains(GateProperties.EVERY_BUILDER);
		return named ? GateRules.CONFIGURATION : null;
	}

	private Fleet fleet(String master, List<WorkerReport> classified) {
		Map<String, WorkerReport> byName = classified.stream()
			.collect(Collectors.toMap(WorkerReport::name, Function.identity(), (a, b) -> a));
		Map<Long, List<WorkerFacts>> serving = new HashMap<>();
		Map<Long, String> workerNames = new HashMap<>();
		for (WorkerBuilders w : this.fleet.workerBuilders(master)) {
			workerNames.put(w.buildbotId(), w.name());
			WorkerReport report = byName.get(w.name());
			WorkerFacts facts = new WorkerFacts(w.name(), (report != null) ? report.state() : WorkerState.UNKNOWN,
					(report != null) ? report.connected() : w.connected(),
					(report != null) ? report.connectedElsewhere() : List.of(), (report != null) ? report.since() : null);
			w.builderIds().forEach((id) -> serving.computeIfAbsent(id, (k) -> new ArrayList<>()).add(facts));
		}
		Map<Long, FleetBuilder> current = new LinkedHashMap<>();
		this.fleet.builders(master).stream().filter(FleetBuilder::current).forEach((b) -> current.put(b.buildbotId(), b));
		return new Fleet(current, serving, workerNames, this.properties.configuredStable(master),
				this.fleet.buildUrls(master));
	}

	/** The current builders of a master, who serves them, the builders configured as stable, links to builds. */
	private record Fleet(Map<Long, FleetBuilder> current, Map<Long, List<WorkerFacts>> servingById,
			Map<Long, String> workerNames, Set<String> configured, FleetQueries.BuildUrls urls) {

		List<WorkerFacts> serving(long builderId) {
			return this.servingById.getOrDefault(builderId, List.of());
		}

		List<String> unknownConfigured() {
			Set<String> names = this.current.values().stream().map(FleetBuilder::name).collect(Collectors.toSet());
			return this.configured.stream()
				.filter((n) -> !names.contains(n) && !n.equals(GateProperties.EVERY_BUILDER))
				.toList();
		}

	}

}
