package org.fleethealth.gate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.source.BuildResult;
import org.fleethealth.fleet.Build;
import org.fleethealth.fleet.Builder;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.WorkerBuilders;
import org.fleethealth.gate.GateFacts.Candidate;
import org.fleethealth.gate.GateFacts.StableBuilder;
import org.fleethealth.gate.GateFacts.WorkerFacts;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.health.WorkersClassified;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * The release gate of each master: evaluated after every classification (and on demand), kept as the latest
 * report that the API, the page and the {@code fleet_release_gate} gauge read.
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

	private final Clock clock;

	private final Map<String, GateReport> latest = new ConcurrentHashMap<>();

	ReleaseGates(FleetQueries fleet, WorkerReports reports, GateProperties properties, GateMetrics metrics,
			Clock clock) {
		this.fleet = fleet;
		this.reports = reports;
		this.properties = properties;
		this.rules = new GateRules(properties);
		this.stableSet = new StableSetRules(properties);
		this.metrics = metrics;
		this.clock = clock;
	}

	@EventListener
	void onClassified(WorkersClassified classified) {
		// A failure here must not look like a failed classification to the publisher.
		try {
			store(evaluate(classified.master(), classified.workers()));
		}
		catch (RuntimeException ex) {
			logger.error("Evaluating the release gate of master '" + classified.master() + "' failed", ex);
		}
	}

	/** The watched masters, in configuration order. */
	public List<String> masters() {
		return this.fleet.masterNames();
	}

	/** The latest gate of a master (evaluated now if there is none yet); empty for a master not watched. */
	public Optional<GateReport> gate(String master) {
		if (!masters().contains(master)) {
			return Optional.empty();
		}
		GateReport report = this.latest.get(master);
		return Optional.of((report != null) ? report : refreshKnown(master));
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
		Map<Long, List<Integer>> windowResults = new HashMap<>();
		this.fleet.buildsStartedSince(master, now.minus(this.properties.stableAfter()))
			.stream()
			.filter((b) -> b.isComplete() && BuildResult.decisive(b.getResults()))
			.forEach((b) -> windowResults.computeIfAbsent(b.getBuilderBuildbotId(), (id) -> new ArrayList<>())
				.add(b.getResults()));
		Map<Long, Instant> firstStarted = this.fleet.firstBuildStartedByBuilder(master);
		List<Candidate> candidates = new ArrayList<>();
		for (Builder b : fleet.current.values()) {
			candidates.add(new Candidate(b.getName(), stableBecause(b, fleet.configured), true,
					fleet.serving(b.getBuildbotId()), windowResults.getOrDefault(b.getBuildbotId(), List.of()),
					firstStarted.get(b.getBuildbotId())));
		}
		fleet.unknownConfigured()
			.forEach((name) -> candidates
				.add(new Candidate(name, GateRules.CONFIGURATION, false, List.of(), List.of(), null)));
		return Optional.of(this.stableSet.propose(master, candidates, now));
	}

	private GateReport refreshKnown(String master) {
		GateReport report = evaluate(master, this.reports.workers(master));
		store(report);
		return report;
	}

	private synchronized void store(GateReport report) {
		this.latest.put(report.master(), report);
		this.metrics.publish(Map.copyOf(this.latest));
	}

	private GateReport evaluate(String master, List<WorkerReport> classified) {
		Fleet fleet = fleet(master, classified);
		Map<Long, Build> last = this.fleet.lastDecisiveBuildOfEachBuilder(master);
		List<StableBuilder> stable = new ArrayList<>();
		for (Builder b : fleet.current.values()) {
			String because = stableBecause(b, fleet.configured);
			if (because == null) {
				continue;
			}
			Build build = last.get(b.getBuildbotId());
			stable.add(new StableBuilder(b.getName(), because, true, fleet.serving(b.getBuildbotId()),
					(build != null) ? lastBuild(build) : null,
					(build != null) ? fleet.workerNames.get(build.getWorkerBuildbotId()) : null,
					b.getLastBuildFinishedAt()));
		}
		fleet.unknownConfigured()
			.forEach((name) -> stable
				.add(new StableBuilder(name, GateRules.CONFIGURATION, false, List.of(), null, null, null)));
		return this.rules.evaluate(master, stable, this.clock.instant());
	}

	private String stableBecause(Builder builder, Set<String> configured) {
		boolean tagged = builder.getTags().stream().anyMatch((t) -> t.equalsIgnoreCase(this.properties.stableTag()));
		if (tagged) {
			return GateRules.TAG;
		}
		return configured.contains(builder.getName()) ? GateRules.CONFIGURATION : null;
	}

	private GateReport.LastBuild lastBuild(Build b) {
		Integer r = b.getResults();
		String result = (r == null) ? null : BuildResult.label(r);
		return new GateReport.LastBuild(b.getNumber(), r, result, this.fleet.buildUrl(b), b.getCompleteAt(),
				b.getRevision(), b.getFailingStep());
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
		Map<Long, Builder> current = new LinkedHashMap<>();
		this.fleet.builders(master).stream().filter(Builder::isCurrent).forEach((b) -> current.put(b.getBuildbotId(), b));
		return new Fleet(current, serving, workerNames, this.properties.configuredStable(master));
	}

	/** The current builders of a master, who serves them, and the builders configured as stable. */
	private record Fleet(Map<Long, Builder> current, Map<Long, List<WorkerFacts>> servingById,
			Map<Long, String> workerNames, Set<String> configured) {

		List<WorkerFacts> serving(long builderId) {
			return this.servingById.getOrDefault(builderId, List.of());
		}

		List<String> unknownConfigured() {
			Set<String> names = this.current.values().stream().map(Builder::getName).collect(Collectors.toSet());
			return this.configured.stream().filter((n) -> !names.contains(n)).toList();
		}

	}

}
