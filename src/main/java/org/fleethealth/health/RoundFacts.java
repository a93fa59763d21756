package org.fleethealth.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.fleethealth.fleet.FleetBuilder;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.WorkerPresences;
import org.fleethealth.fleet.FleetWorker;
import org.fleethealth.fleet.MasterStatus;
import org.fleethealth.fleet.WorkerChange;
import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.health.Facts.BuilderFacts;
import org.fleethealth.health.Facts.MasterFacts;
import org.fleethealth.health.Facts.WorkerFacts;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Reads what a round of one master judges ({@link MasterFacts}) from the stored fleet: its workers with their
 * stored judgements, its builders with their classes, branch and pool, the builds of the window, each worker's
 * disconnects in the window, its presence (paused, downtime, waiting build requests) and the master's restarts and
 * outages. Called inside the round's transaction.
 */
@Component
class RoundFacts {

	/**
	 * How close a connect to another watched master must be to a disconnect here for the two to be one move. Each
	 * is seen when it happens where the master is heard live, and up to a workers poll late where it is polled.
	 */
	static final Duration MOVE_WITHIN = Duration.ofMinutes(5);

	private final FleetQueries fleet;

	private final WorkerPresences everywhere;

	private final ClassificationProperties properties;

	private final BuilderTags tags;

	private final Presences presences;

	private final ObjectProvider<HostRepairs> repairs;

	RoundFacts(FleetQueries fleet, WorkerPresences everywhere, ClassificationProperties properties, BuilderTags tags, Presences presences,
			ObjectProvider<HostRepairs> repairs) {
		this.repairs = repairs;
		this.fleet = fleet;
		this.everywhere = everywhere;
		this.properties = properties;
		this.tags = tags;
		this.presences = presences;
	}

	/** The workers whose host was repaired, by the master's id of them ({@link HostRepairs}). */
	private Map<Long, Instant> repairedSince(String master, List<FleetWorker> workers) {
		Map<String, Instant> byName = new HashMap<>();
		this.repairs.orderedStream().forEach((r) -> r.repairedSince(master).forEach(byName::putIfAbsent));
		Map<Long, Instant> byId = new HashMap<>();
		if (!byName.isEmpty()) {
			workers.stream()
				.filter((w) -> byName.containsKey(w.name()))
				.forEach((w) -> byId.put(w.buildbotId(), byName.get(w.name())));
		}
		return byId;
	}

	/**
	 * When each worker name connected to another watched master in the window (and {@link #MOVE_WITHIN} before it),
	 * where workers of the same name are one worker.
	 */
	private Map<String, List<Instant>> connectsElsewhere(String master, Instant windowStart) {
		if (!this.properties.sameWorkerAcrossMasters() || this.fleet.masters().size() < 2) {
			return Map.of();
		}
		return this.everywhere.connectsElsewhereSince(master, windowStart.minus(MOVE_WITHIN));
	}

	/**
	 * The worker's own disconnects: not those with a connect to another watched master within {@link #MOVE_WITHIN}
	 * either side. That is the worker moving (LLVM's owners move a bot from production to staging for
	 * maintenance and back), not dropping; counted as its own, a few moves read as connection flapping on both
	 * masters.
	 */
	static List<Instant> own(List<Instant> disconnects, List<Instant> connectsElsewhere) {
		if (connectsElsewhere == null || disconnects.isEmpty()) {
			return disconnects;
		}
		return disconnects.stream()
			.filter((at) -> connectsElsewhere.stream()
				.noneMatch((c) -> !c.isBefore(at.minus(MOVE_WITHIN)) && !c.isAfter(at.plus(MOVE_WITHIN))))
			.toList();
	}

	/**
	 * The facts of the master at {@code now}.
	 *
	 * @param state the master's poll state, {@code null} before it was first polled
	 * @param workers its configured workers
	 * @param builders its builders
	 * @param previous the stored judgements, by worker id
	 */
	MasterFacts of(String master, @Nullable MasterStatus state, List<FleetWorker> workers, List<FleetBuilder> builders,
			Map<Long, WorkerHealth> previous, Instant now) {
		Instant windowStart = now.minus(this.properties.window());
		// Each builder's pool: the workers configured on it.
		Map<Long, Set<Long>> pools = new HashMap<>();
		workers.forEach((w) -> w.builderIds()
			.forEach((id) -> pools.computeIfAbsent(id, (k) -> new HashSet<>()).add(w.buildbotId())));
		// A builder no worker is configured on has left the configuration, but only where the workers' builders
		// are known at all (a master that does not list them would otherwise have nothing but retired builders).
		boolean poolsKnown = !pools.isEmpty();
		Map<Long, BuilderFacts> builderFacts = new HashMap<>();
		builders.forEach((b) -> {
			Set<Long> pool = pools.getOrDefault(b.buildbotId(), Set.of());
			builderFacts.put(b.buildbotId(), new BuilderFacts(b.buildbotId(), b.name(), this.tags.classes(b.tags()),
					this.tags.branch(b.tags()), pool, poolsKnown && pool.isEmpty() && !b.current()));
		});
		List<BuildFacts> builds = this.fleet.buildSummariesSince(master, windowStart)
			.stream()
			.map((b) -> new BuildFacts(b.id(), b.number(), b.builderId(), b.workerId(), b.startedAt(), b.completeAt(),
					b.complete(), b.results(), b.revision(), b.failingStep(), b.branch(), b.stateString(),
					b.stepsFetched()))
			.toList();
		Map<Long, List<Instant>> disconnects = this.fleet.transitionsSince(master, windowStart)
			.stream()
			.filter(WorkerChange::isDisconnect)
			.sorted(Comparator.comparing(WorkerChange::at))
			.collect(Collectors.groupingBy(WorkerChange::workerId,
					Collectors.mapping(WorkerChange::at, Collectors.toList())));
		Map<String, List<Instant>> connectsElsewhere = connectsElsewhere(master, windowStart);
		Instant polledAt = (state != null) ? state.workersPolledAt() : null;
		Map<Long, Facts.Presence> presences = this.presences.of(master, workers, now);
		List<WorkerFacts> workerFacts = workers.stream().map((w) -> {
			WorkerHealth before = previous.get(w.id());
			return new WorkerFacts(w.name(), w.buildbotId(), w.connected(), w.everConnected(),
					w.disconnectedAt(), w.firstSeenAt(), w.lastSeen(polledAt), w.lastBuildFinishedAt(),
					own(disconnects.getOrDefault(w.id(), List.of()), connectsElsewhere.get(w.name())), w.version(),
					(before != null) ? before.getState() : null, (before != null) ? before.getSince() : null,
					(before != null) ? before.getHeldState() : null, (before != null) ? before.getHeldSince() : null,
					presences.get(w.id()));
		}).toList();
		return new MasterFacts(master, (state != null) ? state.workersPolledAt() : null,
				(state != null) ? state.lastError() : null, workerFacts, builderFacts, builds,
				this.fleet.interruptionsSince(master, windowStart), repairedSince(master, workers));
	}

}
