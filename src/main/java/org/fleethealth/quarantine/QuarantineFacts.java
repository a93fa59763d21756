package org.fleethealth.quarantine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.fleethealth.fleet.FleetBuild;
import org.fleethealth.fleet.FleetBuilder;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.FleetWorker;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;
import org.fleethealth.fleet.MasterInterruption;
import org.fleethealth.gate.ReleaseGates;
import org.fleethealth.health.BuilderTags;
import org.fleethealth.health.ClassificationProperties;
import org.fleethealth.health.JudgedBuild;
import org.fleethealth.health.Outcome;
import org.fleethealth.quarantine.QuarantineRules.Case;
import org.fleethealth.quarantine.QuarantineRules.Failure;
import org.fleethealth.source.BuildResult;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

/** Gathers what the safety valve and a proposal need about one worker from the observed fleet. */
@Component
class QuarantineFacts {

	private final FleetQueries fleet;

	private final BuilderTags tags;

	private final ReleaseGates gates;

	private final ClassificationProperties classification;

	private final QuarantineProperties properties;

	QuarantineFacts(FleetQueries fleet, BuilderTags tags, ReleaseGates gates, ClassificationProperties classification,
			QuarantineProperties properties) {
		this.fleet = fleet;
		this.tags = tags;
		this.gates = gates;
		this.classification = classification;
		this.properties = properties;
	}

	/**
	 * The valve's cases of a master's workers as of one round. The fleet and the builds of the window are read once,
	 * when the first case is asked for: a round may propose hundreds of quarantines at once (every flaky-host worker
	 * of a large fleet once {@code after} has passed), and reading 10,000 workers and 70,000 builds per proposal
	 * took 0.3 s each, minutes for such a round (the benchmark's heartbeat, 10,000 workers).
	 *
	 * @param judged what the latest classification made of the master's builds, by build id (empty when not in
	 * memory: then every red build of a worker counts as one of its host failures)
	 */
	Cases cases(String master, Map<Long, JudgedBuild> judged, Instant now) {
		SingletonSupplier<Window> window = SingletonSupplier.of(() -> window(master, now));
		return (worker, quarantined) -> caseOf(window.obtain(), master, worker, judged, quarantined);
	}

	/** The valve's cases of one master's workers, as of one round. */
	interface Cases {

		/** @param quarantined the master's workers that fleet-health holds quarantined now */
		Case of(String worker, Set<String> quarantined);

	}

	/**
	 * One worker's case from the round's window. Only the revisions of its own recent host failures are looked up
	 * among its peers' builds: that is all the valve compares, and a walk of the whole window for each case was most
	 * of a heavy round's quarantine work (the benchmark, 10,000 workers: hundreds of refused workers asked again
	 * every round).
	 */
	private Case caseOf(Window window, String master, String worker, Map<Long, JudgedBuild> judged,
			Set<String> quarantined) {
		Fleet f = window.fleet();
		FleetWorker w = f.workers.get(worker);
		Set<String> classes = window.classes().getOrDefault(worker, Set.of());
		Map<String, Set<String>> members = new TreeMap<>();
		classes.forEach((c) -> members.put(c, window.members().get(c)));
		Predicate<String> peer = (name) -> name != null && !name.equals(worker)
				&& !Collections.disjoint(window.classes().getOrDefault(name, Set.of()), classes);
		List<Failure> own = new ArrayList<>();
		for (FleetBuild b : window.redByWorker().getOrDefault(worker, List.of())) {
			JudgedBuild j = judged.get(b.buildbotId());
			if ((j == null || j.outcome() == Outcome.HOST_FAILURE) && own.size() < this.properties.recentFailures()) {
				own.add(failure(f, worker, b));
			}
		}
		Map<String, List<Failure>> peerFailures = new HashMap<>();
		Map<String, Set<String>> peerPasses = new HashMap<>();
		for (Failure failure : own) {
			String revision = failure.revision();
			if (peerFailures.containsKey(revision) || peerPasses.containsKey(revision)) {
				continue;
			}
			for (FleetBuild b : window.redByRevision().getOrDefault(revision, List.of())) {
				String name = window.name(b);
				if (peer.test(name)) {
					peerFailures.computeIfAbsent(revision, (k) -> new ArrayList<>()).add(failure(f, name, b));
				}
			}
			for (FleetBuild b : window.passedByRevision().getOrDefault(revision, List.of())) {
				String name = window.name(b);
				if (peer.test(name)) {
					peerPasses.computeIfAbsent(revision, (k) -> new HashSet<>()).add(name);
				}
			}
		}
		Map<String, List<String>> stable = new TreeMap<>();
		if (w != null) {
			for (Long id : w.builderIds()) {
				FleetBuilder b = f.builders.get(id);
				if (b != null && b.current() && this.gates.isStable(b)) {
					stable.put(b.name(), available(id, worker, f, quarantined));
				}
			}
		}
		return new Case(master, worker, own, peerFailures, peerPasses, stable, quarantined, members,
				window.workers());
	}

	private static Failure failure(Fleet f, String worker, FleetBuild b) {
		FleetBuilder builder = f.builders.get(b.builderBuildbotId());
		return new Failure(worker, (builder != null) ? builder.name() : "builder " + b.builderBuildbotId(),
				b.revision(), b.failingStep());
	}

	/**
	 * What a round's cases are made of: the master's fleet, each worker's build classes and each class's workers, and
	 * the builds of the window that the valve counts (passed with a revision; red with a revision, newest first), by
	 * revision and by worker.
	 */
	private Window window(String master, Instant now) {
		Fleet f = fleet(master);
		Map<String, Set<String>> classes = new LinkedHashMap<>();
		Map<String, Set<String>> members = new HashMap<>();
		Map<Long, String> names = new HashMap<>();
		f.workers.values().forEach((w) -> {
			Set<String> its = classesOf(w, f);
			classes.put(w.name(), its);
			its.forEach((c) -> members.computeIfAbsent(c, (k) -> new TreeSet<>()).add(w.name()));
			names.put(w.buildbotId(), w.name());
		});
		List<FleetBuild> builds = this.fleet.buildsStartedSince(master, now.minus(this.classification.window()));
		Map<String, List<FleetBuild>> passed = builds.stream()
			.filter((b) -> b.complete() && BuildResult.passed(b.results()) && b.revision() != null)
			.collect(Collectors.groupingBy(FleetBuild::revision));
		List<FleetBuild> red = builds.stream()
			.filter((b) -> b.complete() && BuildResult.red(b.results()) && b.revision() != null)
			.sorted(Comparator.comparing(FleetBuild::completeAt, Comparator.nullsFirst(Comparator.naturalOrder()))
				.reversed())
			.toList();
		Map<String, List<FleetBuild>> redByWorker = new HashMap<>();
		red.stream()
			.filter((b) -> b.workerBuildbotId() != null && names.containsKey(b.workerBuildbotId()))
			.forEach((b) -> redByWorker.computeIfAbsent(names.get(b.workerBuildbotId()), (k) -> new ArrayList<>()).add(b));
		return new Window(f, classes, members, Collections.unmodifiableSortedSet(new TreeSet<>(f.workers.keySet())),
				names, passed, red.stream().collect(Collectors.groupingBy(FleetBuild::revision)), redByWorker);
	}

	/**
	 * @param members each build class's workers, by name
	 * @param workers the master's configured workers, by name
	 * @param redByRevision red builds newest first, by revision; {@code redByWorker} the same by the worker's name
	 */
	private record Window(Fleet fleet, Map<String, Set<String>> classes, Map<String, Set<String>> members,
			Set<String> workers, Map<Long, String> names, Map<String, List<FleetBuild>> passedByRevision,
			Map<String, List<FleetBuild>> redByRevision, Map<String, List<FleetBuild>> redByWorker) {

		/** The name of the worker that ran the build, or {@code null}. */
		String name(FleetBuild b) {
			return (b.workerBuildbotId() != null) ? this.names.get(b.workerBuildbotId()) : null;
		}

	}

	/**
	 * The builders each worker of a master serves, with the workers that would take its builds over while it is
	 * paused: {@code "builder: worker, worker (flaky-host)"} (a worker not healthy itself with its state, by
	 * its report), or {@code "builder: nobody else"}. The fleet is read once, when
	 * first asked: a round may propose hundreds at once (every flaky-host worker of a large fleet after an upgrade),
	 * and reading 10,000 workers per proposal was most of such a round.
	 */
	Takeovers takeovers(String master, List<WorkerReport> reports) {
		Map<String, WorkerState> states = new HashMap<>();
		reports.forEach((w) -> states.put(w.name(), w.state()));
		SingletonSupplier<Fleet> fleet = SingletonSupplier.of(() -> fleet(master));
		return (worker, quarantined) -> takeover(fleet.obtain(), worker, quarantined, states);
	}

	/** The takeover lines of a master's workers, as of one round. */
	interface Takeovers {

		List<String> of(String worker, Set<String> quarantined);

	}

	private static List<String> takeover(Fleet f, String worker, Set<String> quarantined,
			Map<String, WorkerState> states) {
		FleetWorker w = f.workers.get(worker);
		if (w == null) {
			return List.of();
		}
		Map<String, List<String>> byBuilder = new TreeMap<>();
		for (Long id : w.builderIds()) {
			FleetBuilder b = f.builders.get(id);
			if (b != null && b.current()) {
				byBuilder.put(b.name(), available(id, worker, f, quarantined)
					.stream()
					.map((o) -> withState(o, states.get(o)))
					.toList());
			}
		}
		List<String> lines = new ArrayList<>();
		byBuilder.forEach((b, others) -> lines.add(b + ": " + (others.isEmpty() ? "nobody else" : String.join(", ", others))));
		return lines;
	}

	/** A worker that is not healthy itself is named with its state: it may not take over much. */
	private static String withState(String worker, WorkerState state) {
		return (state == null || state == WorkerState.HEALTHY) ? worker : worker + " (" + state.label() + ")";
	}

	private static List<String> available(long builderId, String worker, Fleet f, Set<String> quarantined) {
		return f.byBuilder.getOrDefault(builderId, List.of())
			.stream()
			.filter((o) -> !o.name().equals(worker) && o.connected() && !o.paused() && !quarantined.contains(o.name()))
			.map(FleetWorker::name)
			.sorted()
			.toList();
	}

	private Set<String> classesOf(FleetWorker w, Fleet f) {
		Set<String> classes = new TreeSet<>();
		for (Long id : w.builderIds()) {
			FleetBuilder b = f.builders.get(id);
			if (b != null) {
				classes.addAll(this.tags.classes(b.tags()));
			}
		}
		return classes;
	}

	private Fleet fleet(String master) {
		Map<String, FleetWorker> workers = new LinkedHashMap<>();
		this.fleet.workers(master).forEach((w) -> workers.put(w.name(), w));
		Map<Long, FleetBuilder> builders = new HashMap<>();
		this.fleet.builders(master).forEach((b) -> builders.put(b.buildbotId(), b));
		Map<Long, List<FleetWorker>> byBuilder = new HashMap<>();
		workers.values()
			.forEach((w) -> w.builderIds().forEach((id) -> byBuilder.computeIfAbsent(id, (k) -> new ArrayList<>()).add(w)));
		return new Fleet(workers, builders, byBuilder);
	}

	/**
	 * A master's workers by name, builders by Buildbot id, and the workers each builder may run on (indexed once: a
	 * round asks for the takeover lines of hundreds of workers, each over all of their builders).
	 */
	private record Fleet(Map<String, FleetWorker> workers, Map<Long, FleetBuilder> builders,
			Map<Long, List<FleetWorker>> byBuilder) {
	}

	/**
	 * Why no quarantine is proposed on the master now, or {@code null}: while it does not answer, or its workers may
	 * still be coming back from its restart or outage ({@code restart-grace}), who would take over a worker's
	 * builders cannot be told (they would all read "nobody else").
	 */
	String unsettled(String master, Instant now) {
		if (this.fleet.master(master).map((m) -> !m.up()).orElse(true)) {
			return "it does not answer";
		}
		Instant settled = now.minus(this.classification.restartGrace());
		boolean recent = this.fleet.interruptionsSince(master, settled)
			.stream()
			.anyMatch((i) -> i.kind() != MasterInterruption.Kind.DISCONNECTS
					&& (i.to() == null || i.to().isAfter(settled)));
		return recent ? "its workers may still be coming back from its restart or outage" : null;
	}

}
