package org.fleethealth.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.fleethealth.fleet.FleetBuild;
import org.fleethealth.fleet.FleetBuilder;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.WorkerPresences;
import org.fleethealth.fleet.FleetWorker;
import org.fleethealth.fleet.WorkerOwners;
import org.fleethealth.fleet.MasterInterruption;
import org.fleethealth.fleet.MasterStatus;
import org.fleethealth.fleet.Owner;
import org.fleethealth.source.BuildResult;
import org.springframework.data.domain.Limit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads workers with their judgement, for the API, metrics and mails. */
@Service
@Transactional(readOnly = true)
public class WorkerReports {

	private final FleetQueries fleet;

	private final WorkerPresences everywhere;

	private final WorkerOwners owners;

	private final Healths healths;

	private final StateChanges changes;

	private final BuilderTags tags;

	private final ClassificationRounds rounds;

	private final Clock clock;

	private final Duration window;

	private final boolean sameWorkerAcrossMasters;

	private final double outageShare;

	private final Downtimes downtimes;

	private final ObjectProvider<PauseReasons> pauseReasons;

	WorkerReports(FleetQueries fleet, WorkerPresences everywhere, Healths healths, StateChanges changes,
			BuilderTags tags, ClassificationRounds rounds, ClassificationProperties properties, Clock clock, Downtimes downtimes,
			ObjectProvider<PauseReasons> pauseReasons, WorkerOwners owners) {
		this.owners = owners;
		this.pauseReasons = pauseReasons;
		this.downtimes = downtimes;
		this.clock = clock;
		this.window = properties.window();
		this.outageShare = properties.outageShare();
		this.sameWorkerAcrossMasters = properties.sameWorkerAcrossMasters();
		this.rounds = rounds;
		this.fleet = fleet;
		this.everywhere = everywhere;
		this.healths = healths;
		this.changes = changes;
		this.tags = tags;
	}

	/** Every configured worker of every configured master. */
	public List<WorkerReport> all() {
		List<WorkerReport> all = new ArrayList<>();
		this.fleet.masterNames().forEach((master) -> all.addAll(workers(master)));
		return all;
	}

	/** The configured workers of one master, by name. */
	public List<WorkerReport> workers(String master) {
		Map<Long, WorkerHealth> health = this.healths.findByMaster(master)
			.stream()
			.collect(Collectors.toMap(WorkerHealth::getWorkerId, Function.identity()));
		return reports(master, this.fleet.workers(master), health, this.fleet.builders(master), classifiedAt(master),
				workersPolledAt(master));
	}

	/** The planned downtime windows in force now and the next occurrence of each, soonest first. */
	public List<Downtimes.Scheduled> downtime() {
		return this.downtimes.schedule(this.clock.instant());
	}

	/**
	 * The master's restarts, outages and mass disconnects within the classification window, oldest first: the
	 * builds it ended and the disconnects it caused then count against no worker. A batch of disconnects smaller
	 * than {@code outage-share} of its workers is not the master's doing (a trial listed 2 of 178 as an
	 * interruption): the workers' own evidence tells of them.
	 */
	public List<MasterInterruption> interruptions(String master) {
		return this.fleet.interruptionsSince(master, this.clock.instant().minus(this.window))
			.stream()
			.filter((i) -> MasterTrouble.isMasters(i, this.outageShare))
			.toList();
	}

	private Instant workersPolledAt(String master) {
		return this.fleet.master(master).map(MasterStatus::workersPolledAt).orElse(null);
	}

	private Instant classifiedAt(String master) {
		return this.rounds.findById(master).map(ClassificationRound::getClassifiedAt).orElse(null);
	}

	/** Reports of the given workers from judgements and builders already in hand. */
	List<WorkerReport> reports(String master, List<FleetWorker> workers, Map<Long, WorkerHealth> health,
			List<FleetBuilder> builders, Instant classifiedAt, Instant workersPolledAt) {
		Map<Long, Tagged> tagged = tagged(builders);
		Map<String, List<String>> elsewhere = connectedElsewhere(master);
		Map<String, String> reasons = pauseReasons(master);
		Map<Long, Owner> owners = this.owners.owners(master, workers);
		return workers.stream()
			.map((w) -> report(w, owners.get(w.id()), health.get(w.id()), tagged, classifiedAt, workersPolledAt, null,
					null, null, elsewhere, reasons))
			.toList();
	}

	/** Why other modules paused workers of the master (fleet-health's quarantine), where Buildbot does not say. */
	private Map<String, String> pauseReasons(String master) {
		Map<String, String> reasons = new HashMap<>();
		this.pauseReasons.orderedStream().forEach((r) -> r.pauseReasons(master).forEach(reasons::putIfAbsent));
		return reasons;
	}

	/** What each builder's tags say (build classes, branch), by the master's builder id. */
	private Map<Long, Tagged> tagged(Collection<FleetBuilder> builders) {
		Map<Long, Tagged> tagged = new HashMap<>();
		builders.forEach((b) -> tagged.put(b.buildbotId(),
				new Tagged(this.tags.classes(b.tags()), this.tags.branch(b.tags()))));
		return tagged;
	}

	private record Tagged(Set<String> classes, String branch) {
	}

	/** One worker with its recent builds, state history and connection history. */
	public Optional<WorkerReport> worker(String master, String name) {
		return this.fleet.worker(master, name).map((w) -> {
			Map<Long, FleetBuilder> builders = this.fleet.builders(master)
				.stream()
				.collect(Collectors.toMap(FleetBuilder::buildbotId, Function.identity()));
			// Its own builders' tags only: a page of one worker should not read every builder's of a large master.
			Map<Long, Tagged> tagged = tagged(w.builderIds().stream().map(builders::get).filter(Objects::nonNull).toList());
			WorkerHealth health = this.healths.findById(w.id()).orElse(null);
			List<WorkerReport.BuildView> builds = this.fleet.recentBuilds(w, 50)
				.stream()
				.map((b) -> buildView(b, builders.get(b.builderBuildbotId())))
				.toList();
			List<WorkerReport.StateView> history = this.changes.findByWorkerIdOrderByIdDesc(w.id(), Limit.of(100))
				.stream()
				.map((c) -> new WorkerReport.StateView(c.getState(), c.getSince(), c.getEvidence()))
				.toList();
			List<WorkerReport.TransitionView> transitions = this.fleet.recentTransitions(w.id(), 100)
				.stream()
				.map((t) -> new WorkerReport.TransitionView(t.isConnect(), t.at(), t.kind().label(),
						t.detail()))
				.toList();
			return report(w, this.owners.owner(w), health, tagged, classifiedAt(master), workersPolledAt(master), builds,
					history,
					transitions, connectedElsewhere(master), pauseReasons(master));
		});
	}

	private WorkerReport.BuildView buildView(FleetBuild b, FleetBuilder builder) {
		Integer r = b.results();
		String result = (r == null) ? (b.complete() ? null : "running") : BuildResult.label(r);
		return new WorkerReport.BuildView(b.buildbotId(), b.number(),
				(builder != null) ? builder.name() : null, b.revision(), r, result, b.failingStep(),
				b.startedAt(), b.completeAt(), this.fleet.buildUrl(b));
	}

	private WorkerReport report(FleetWorker w, Owner owner, WorkerHealth health, Map<Long, Tagged> tagged, Instant classifiedAt,
			Instant workersPolledAt, List<WorkerReport.BuildView> builds, List<WorkerReport.StateView> history,
			List<WorkerReport.TransitionView> transitions, Map<String, List<String>> elsewhere,
			Map<String, String> reasons) {
		Set<String> classes = new TreeSet<>();
		Set<String> branches = new TreeSet<>();
		w.builderIds().forEach((id) -> {
			Tagged t = tagged.get(id);
			if (t != null) {
				classes.addAll(t.classes());
				if (t.branch() != null) {
					branches.add(t.branch());
				}
			}
		});
		WorkerState state = (health != null) ? health.getState() : WorkerState.UNKNOWN;
		List<String> evidence = (health != null) ? health.getEvidence() : notJudged(w);
		if (owner.deobfuscated()) {
			evidence = new ArrayList<>(evidence);
			evidence.add("owner: " + owner.note());
		}
		BuildCounts counts = (health != null) ? health.getCounts() : BuildCounts.NONE;
		Instant lastSeen = w.lastSeen(workersPolledAt);
		boolean hasInfo = w.host() != null || w.version() != null;
		return new WorkerReport(w.master(), w.name(), state,
				(health != null) ? health.getSince() : w.firstSeenAt(), ownerView(owner), lastSeen,
				w.connected(), w.paused(), w.version(), w.host(), classes, evidence,
				WorkerReport.Counts.of(counts), (health != null) ? classifiedAt : null, builds, history,
				transitions, w.configured(), (!w.connected() && hasInfo) ? lastSeen : null,
				(health != null) ? health.getRules() : List.of(), branches, w.pausedSince(),
				(w.pauseReason() != null || !w.paused()) ? w.pauseReason() : reasons.get(w.name()),
				elsewhere.getOrDefault(w.name(), List.of()));
	}

	/**
	 * Why a worker has no judgement: not classified yet, or never part of the fleet. Buildbot lists a worker whose
	 * configuration was removed, and one that serves no builder on that master, with an empty {@code configured_on};
	 * such a worker that is not connected is not judged ("not classified yet" read as if it were about to be).
	 */
	private static List<String> notJudged(FleetWorker w) {
		if (!w.configured()) {
			return List.of("not judged: master '" + w.master() + "' lists it, but in no builder's configuration, and"
					+ " it is not connected (its configuration was removed, or it serves no builder there)");
		}
		return List.of("not classified yet");
	}

	/**
	 * The other watched masters each worker name of a master is connected to, when a name on several masters is
	 * one worker ({@code classification.same-worker-across-masters}).
	 */
	private Map<String, List<String>> connectedElsewhere(String master) {
		if (!this.sameWorkerAcrossMasters || this.fleet.masterNames().size() < 2) {
			return Map.of();
		}
		Map<String, List<String>> elsewhere = new HashMap<>();
		this.everywhere.all()
			.stream()
			.filter((p) -> p.connected() && !p.master().equals(master))
			.forEach((p) -> elsewhere.computeIfAbsent(p.name(), (k) -> new ArrayList<>()).add(p.master()));
		return elsewhere;
	}

	static WorkerReport.OwnerView ownerView(Owner owner) {
		return new WorkerReport.OwnerView(owner.name(), owner.email(), owner.source().label(), owner.note(),
				owner.contacts().stream().map((c) -> new WorkerReport.Address(c.name(), c.email())).toList(),
				owner.ignored());
	}

	/** Orders reports most-troubled first, then by master and name. */
	public static Comparator<WorkerReport> bySeverity() {
		return Comparator.comparing(WorkerReport::state)
			.thenComparing(WorkerReport::master)
			.thenComparing(WorkerReport::name);
	}

}
