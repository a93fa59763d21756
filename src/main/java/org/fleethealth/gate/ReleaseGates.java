package org.fleethealth.gate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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
import org.fleethealth.health.Classification;
import org.fleethealth.health.ClassificationProperties;
import org.fleethealth.health.Classifications;
import org.fleethealth.health.RoundLock;
import org.fleethealth.health.JudgedBuild;
import org.fleethealth.health.Outcome;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.health.WorkersClassified;
import org.fleethealth.source.BuildResult;
import org.fleethealth.system.MasterSerial;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The release gate of each master, per branch: evaluated after every classification (and on demand), kept as the
 * latest report that the API, the page and the {@code fleet_release_gate} gauge read.
 *
 * <p>
 * The instance that classified stores what the classification made of the stable builders' failed builds
 * ({@link GateJudgements}); every instance evaluates the gate from what is stored, so an instance that did not
 * classify (clustered mode) tells a host's failure from the code's the same way, once it reloads the fleet.
 */
@Service
public class ReleaseGates {

	private static final Log logger = LogFactory.getLog(ReleaseGates.class);

	private final FleetQueries fleet;

	private final WorkerReports reports;

	private final GateProperties properties;

	private final GateRules rules;

	private final StableSetRules stableSet;

	private final GateMetrics metrics;

	private final GateJudgements judgements;

	private final BuilderTags tags;

	private final ClassificationProperties classification;

	private final Clock clock;

	private final Map<String, GateReport> latest = new ConcurrentHashMap<>();

	private final Classifications classifications;

	private final MasterSerial serial = new MasterSerial();

	private final RoundLock roundLock;

	private final TransactionTemplate transactions;

	ReleaseGates(FleetQueries fleet, WorkerReports reports, GateProperties properties, GateMetrics metrics,
			GateJudgements judgements, BuilderTags tags, ClassificationProperties classification, Clock clock,
			Classifications classifications, PlatformTransactionManager transactions, RoundLock roundLock) {
		this.roundLock = roundLock;
		this.classifications = classifications;
		this.transactions = new TransactionTemplate(transactions);
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.fleet = fleet;
		this.reports = reports;
		this.properties = properties;
		this.rules = new GateRules(properties);
		this.stableSet = new StableSetRules(properties);
		this.metrics = metrics;
		this.judgements = judgements;
		this.tags = tags;
		this.classification = classification;
		this.clock = clock;
	}

	/**
	 * After the classification committed, off the poll thread, in a transaction of its own; a failure is kept and
	 * retried (registry). One master's gate is evaluated one round at a time, the transaction inside its turn.
	 */
	@Async
	@TransactionalEventListener
	void onClassified(WorkersClassified classified) {
		// One reaction of its size at a time, and never beside a round (RoundLock); pages asking for a gate do not wait.
		this.roundLock.reaction(() -> refresh(this.classifications.of(classified)));
	}

	/** Evaluates and keeps the gate of a master from a classification's reports. */
	void refresh(Classification classified) {
		this.serial.run(classified.master(), () -> {
			try {
				this.transactions.executeWithoutResult((status) -> store(evaluate(classified.master(),
						classified.workers(), classified.reclassified() ? classified.builds() : null)));
			}
			catch (RuntimeException ex) {
				logger.error("Evaluating the release gate of master '" + classified.master() + "' failed", ex);
				throw ex;
			}
		});
	}

	/** The watched masters, in configuration order. */
	public List<String> masters() {
		return this.fleet.masterNames();
	}

	/**
	 * The latest gate of a master, every branch (evaluated now if there is none yet); empty for a master not
	 * watched.
	 */
	public Optional<GateReport> gate(String master) {
		if (!masters().contains(master)) {
			return Optional.empty();
		}
		GateReport report = this.latest.get(master);
		return Optional.of((report != null) ? report : refreshKnown(master));
	}

	/**
	 * The latest gate of one branch of a master ({@code branch} {@code null} or blank: every branch); empty for a
	 * master not watched.
	 */
	public Optional<GateReport> gate(String master, String branch) {
		return (branch == null || branch.isBlank()) ? gate(master) : gate(master).map((g) -> g.onBranch(branch));
	}

	/** Evaluates a master's gate now from its latest classification; empty for a master not watched. */
	public Optional<GateReport> refresh(String master) {
		return masters().contains(master) ? Optional.of(refreshKnown(master)) : Optional.empty();
	}

	/** Which builders should join or leave the stable set, from evidence; empty for a master not watched. */
	public Optional<StableSetProposal> proposal(String master) {
		if (!masters().contains(master)) {
			return Optional.empty();
		}
		Instant now = this.clock.instant();
		Fleet fleet = fleet(master, this.reports.workers(master));
		Map<Long, JudgedBuild> judged = this.judgements.load(master);
		Map<Long, List<Integer>> windowResults = new HashMap<>();
		Map<Long, Map<String, Integer>> hostFailures = new HashMap<>();
		this.fleet.buildsStartedSince(master, now.minus(this.properties.stableAfter()))
			.stream()
			.filter((b) -> b.complete() && BuildResult.decisive(b.results()))
			.forEach((b) -> {
				windowResults.computeIfAbsent(b.builderBuildbotId(), (id) -> new ArrayList<>()).add(b.results());
				JudgedBuild j = judged.get(b.buildbotId());
				if (j != null && j.outcome() == Outcome.HOST_FAILURE && j.worker() != null) {
					hostFailures.computeIfAbsent(b.builderBuildbotId(), (id) -> new LinkedHashMap<>())
						.merge(j.worker(), 1, Integer::sum);
				}
			});
		Map<Long, Instant> firstStarted = this.fleet.firstBuildStartedByBuilder(master);
		List<Candidate> candidates = new ArrayList<>();
		for (FleetBuilder b : fleet.current.values()) {
			long id = b.buildbotId();
			candidates.add(new Candidate(b.name(), stableBecause(b, fleet.configured), true, fleet.serving(id),
					windowResults.getOrDefault(id, List.of()), firstStarted.get(id), hostFailures.get(id)));
		}
		fleet.unknownConfigured()
			.forEach((name) -> candidates
				.add(new Candidate(name, GateRules.CONFIGURATION, false, List.of(), List.of(), null, null)));
		return Optional.of(this.stableSet.propose(master, candidates, now));
	}

	private GateReport refreshKnown(String master) {
		GateReport report = evaluate(master, this.reports.workers(master), null);
		store(report);
		return report;
	}

	private synchronized void store(GateReport report) {
		this.latest.put(report.master(), report);
		this.metrics.publish(Map.copyOf(this.latest));
	}

	/**
	 * Evaluates a master's gate. {@code fresh} holds what this instance's classification just made of each build:
	 * the stable builders' part of it is stored first. Without it the stored judgements are read.
	 */
	private GateReport evaluate(String master, List<WorkerReport> classified, Map<Long, JudgedBuild> fresh) {
		Instant now = this.clock.instant();
		Fleet fleet = fleet(master, classified);
		Map<Long, FleetBuilder> stable = new LinkedHashMap<>();
		fleet.current.values().stream().filter((b) -> stableBecause(b, fleet.configured) != null).forEach((b) -> stable
			.put(b.buildbotId(), b));
		Map<Long, List<BuildSummary>> window = this.fleet
			.buildSummariesSince(master, now.minus(this.classification.window()))
			.stream()
			.filter((b) -> b.complete() && stable.containsKey(b.builderId()))
			.sorted(Comparator.comparing(BuildSummary::completeAt, Comparator.nullsLast(Comparator.reverseOrder()))
				.thenComparing(Comparator.comparingLong(BuildSummary::id).reversed()))
			.collect(Collectors.groupingBy(BuildSummary::builderId, LinkedHashMap::new, Collectors.toList()));
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
				if (this.tags.branch(b.tags()) == null && !on.branch().equals(Branches.NONE)) {
					untaggedBranches.add(on.branch());
				}
				builders.add(on);
			}
		}
		// A builder that nothing places (no branch tag, no build yet) is judged where the builders like it build: on
		// a fleet without branch tags, a stable builder that never ran stands in the way of every branch.
		Set<String> where = untaggedBranches.isEmpty() ? Set.of(Branches.NONE) : untaggedBranches;
		unplaced.forEach((u) -> where.forEach((branch) -> builders.add(new StableBuilder(u.name(), u.stableBecause(),
				true, branch, u.tags(), u.workers(), u.builds(), u.lastFinished()))));
		fleet.unknownConfigured()
			.forEach((name) -> builders.add(new StableBuilder(name, GateRules.CONFIGURATION, false, null, List.of(),
					List.of(), List.of(), null)));
		return this.rules.evaluate(master, builders, now);
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

	/**
	 * Whether a builder is in its master's stable set: tagged {@code fleet-health.gate.stable-tag}, or named in
	 * {@code stable-builders} / {@code stable-builders-by-master}.
	 */
	public boolean isStable(FleetBuilder builder) {
		return stableBecause(builder, this.properties.configuredStable(builder.master())) != null;
	}

	private String stableBecause(FleetBuilder builder, Set<String> configured) {
		boolean tagged = builder.tags().stream().anyMatch((t) -> t.equalsIgnoreCase(this.properties.stableTag()));
		if (tagged) {
			return GateRules.TAG;
		}
		return configured.contains(builder.name()) ? GateRules.CONFIGURATION : null;
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
					(report != null) ? report.connected() : w.connected());
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
			return this.configured.stream().filter((n) -> !names.contains(n)).toList();
		}

	}

}
