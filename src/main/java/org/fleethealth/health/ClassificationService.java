package org.fleethealth.health;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.fleet.Builder;
import org.fleethealth.fleet.FleetPolled;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.MasterState;
import org.fleethealth.fleet.Worker;
import org.fleethealth.fleet.WorkerTransition;
import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.health.Facts.BuilderFacts;
import org.fleethealth.health.Facts.MasterFacts;
import org.fleethealth.health.Facts.WorkerFacts;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gathers the facts of each master, runs the {@link Classifier} and stores verdicts and state history.
 * Runs after every poll round, so a silent master turns its workers {@code unknown} on time.
 */
@Service
public class ClassificationService {

	private static final Log logger = LogFactory.getLog(ClassificationService.class);

	private final FleetQueries fleet;

	private final Healths healths;

	private final StateChanges changes;

	private final ClassificationProperties properties;

	private final Classifier classifier;

	private final Clock clock;

	private final TransactionTemplate transactions;

	private final WorkerReports reports;

	private final ApplicationEventPublisher events;

	private final ClassificationRounds rounds;

	private final BuilderTags tags;

	private final Presences presences;

	// Both poll jobs trigger classification; one at a time keeps upserts simple.
	private final ReentrantLock lock = new ReentrantLock();

	ClassificationService(FleetQueries fleet, Healths healths,
			StateChanges changes, ClassificationProperties properties, Clock clock,
			TransactionTemplate transactions, WorkerReports reports, ApplicationEventPublisher events,
			ClassificationRounds rounds, BuilderTags tags, Presences presences) {
		this.presences = presences;
		this.rounds = rounds;
		this.tags = tags;
		this.fleet = fleet;
		this.healths = healths;
		this.changes = changes;
		this.properties = properties;
		this.classifier = new Classifier(properties);
		this.clock = clock;
		this.transactions = transactions;
		this.reports = reports;
		this.events = events;
	}

	@EventListener
	void onPolled(FleetPolled polled) {
		polled.masters().forEach(this::classify);
	}

	/** Classifies every configured worker of one master now. */
	public void classify(String master) {
		this.lock.lock();
		try {
			WorkersClassified classified = this.transactions.execute((status) -> classifyAndStore(master));
			if (classified != null) {
				this.events.publishEvent(classified);
			}
		}
		catch (RuntimeException ex) {
			logger.error("Classifying the workers of master '" + master + "' failed", ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Classifies, stores the verdicts and returns the reports (built from what is in hand rather than read again)
	 * with what was made of each build; {@code null} when the master is not to be judged yet.
	 */
	private WorkersClassified classifyAndStore(String master) {
		Instant now = this.clock.instant();
		MasterState state = this.fleet.master(master).orElse(null);
		boolean firstRound = this.rounds.findById(master).isEmpty();
		if (firstRound && awaitingFirstBuilds(state)) {
			// Judged on connections alone, every worker would read healthy until its builds are read, then flip:
			// workers stay "not classified yet" until the first builds poll (or until that poll fails).
			logger.debug("Master '" + master + "': waiting for its first builds poll before classifying");
			return null;
		}
		List<Worker> workers = this.fleet.workers(master);
		Map<Long, WorkerHealth> previous = this.healths.findByMaster(master)
			.stream()
			.collect(Collectors.toMap(WorkerHealth::getWorkerId, Function.identity()));
		List<Builder> builders = this.fleet.builders(master);
		MasterFacts facts = facts(master, state, workers, builders, previous, now);
		if (firstRound && awaitingSteps(state, facts)) {
			logger.debug("Master '" + master + "': waiting for the steps of its failed builds before classifying");
			return null;
		}
		Map<String, Verdict> verdicts = this.classifier.classify(facts, now);
		Map<Long, WorkerHealth> current = new HashMap<>();
		for (Worker worker : workers) {
			Verdict verdict = verdicts.get(worker.getName());
			WorkerHealth health = previous.get(worker.getId());
			boolean first = health == null;
			if (first) {
				health = new WorkerHealth(worker.getId());
			}
			if (health.apply(verdict, now)) {
				this.changes.save(new WorkerStateChange(worker.getId(), verdict));
				logger.info("Worker '" + worker.getName() + "' of master '" + master + "' is now " + verdict.state()
						+ ": " + String.join("; ", verdict.evidence()));
			}
			// Judgements read above are managed and written back when they changed; only new ones are saved.
			current.put(worker.getId(), first ? this.healths.save(health) : health);
		}
		ClassificationRound round = this.rounds.findById(master).orElseGet(() -> new ClassificationRound(master));
		round.classified(now);
		this.rounds.save(round);
		List<WorkerReport> reports = this.reports.reports(master, workers, current, builders, now,
				(state != null) ? state.getWorkersPolledAt() : null);
		return new WorkersClassified(master, reports, true, judgedBuilds(verdicts));
	}

	/** What was made of each build that is no plain success, from every worker's verdict. */
	private static Map<Long, JudgedBuild> judgedBuilds(Map<String, Verdict> verdicts) {
		Map<Long, JudgedBuild> builds = new HashMap<>();
		verdicts.forEach((worker, verdict) -> verdict.outcomes().forEach((id, outcome) -> {
			if (outcome != Outcome.SUCCESS) {
				builds.put(id, new JudgedBuild(id, worker, outcome, verdict.reasons().get(id)));
			}
		}));
		return builds;
	}

	/**
	 * A master met for the first time is judged once it has answered both a workers poll and a builds poll, unless
	 * its polls fail (then its workers are judged on what can be said: unknown).
	 */
	private static boolean awaitingFirstBuilds(MasterState state) {
		return state != null && state.getConsecutiveFailures() == 0
				&& (state.getWorkersPolledAt() == null || state.getBuildsPolledAt() == null);
	}

	/**
	 * The first judgement also waits for the failing steps of the first sync's failed builds (read a moment after
	 * the builds, at most {@code max-step-fetches} a poll), unless the master is failing.
	 */
	private static boolean awaitingSteps(MasterState state, MasterFacts facts) {
		return state != null && state.getConsecutiveFailures() == 0
				&& facts.builds().stream().anyMatch((b) -> b.complete() && !b.stepsKnown());
	}

	private MasterFacts facts(String master, MasterState state, List<Worker> workers, List<Builder> builders,
			Map<Long, WorkerHealth> previous, Instant now) {
		Instant windowStart = now.minus(this.properties.window());
		// Each builder's pool: the workers configured on it.
		Map<Long, Set<Long>> pools = new HashMap<>();
		workers.forEach((w) -> w.getBuilderIds()
			.forEach((id) -> pools.computeIfAbsent(id, (k) -> new HashSet<>()).add(w.getBuildbotId())));
		Map<Long, BuilderFacts> builderFacts = new HashMap<>();
		builders.forEach((b) -> builderFacts.put(b.getBuildbotId(),
				new BuilderFacts(b.getBuildbotId(), b.getName(), this.tags.classes(b.getTags()),
						this.tags.branch(b.getTags()), pools.getOrDefault(b.getBuildbotId(), Set.of()))));
		List<BuildFacts> builds = this.fleet.buildSummariesSince(master, windowStart)
			.stream()
			.map((b) -> new BuildFacts(b.id(), b.number(), b.builderId(), b.workerId(), b.startedAt(), b.completeAt(),
					b.complete(), b.results(), b.revision(), b.failingStep(), b.branch(), b.stateString(),
					b.stepsFetched()))
			.toList();
		Map<Long, List<Instant>> disconnects = this.fleet.transitionsSince(master, windowStart)
			.stream()
			.filter(WorkerTransition::isDisconnect)
			.sorted(Comparator.comparing(WorkerTransition::getAt))
			.collect(Collectors.groupingBy(WorkerTransition::getWorkerId,
					Collectors.mapping(WorkerTransition::getAt, Collectors.toList())));
		Instant polledAt = (state != null) ? state.getWorkersPolledAt() : null;
		Map<Long, Facts.Presence> presences = this.presences.of(master, workers, now);
		List<WorkerFacts> workerFacts = workers.stream().map((w) -> {
			WorkerHealth before = previous.get(w.getId());
			return new WorkerFacts(w.getName(), w.getBuildbotId(), w.isConnected(), w.isEverConnected(),
					w.getDisconnectedAt(), w.getFirstSeenAt(), w.lastSeen(polledAt), w.getLastBuildFinishedAt(),
					disconnects.getOrDefault(w.getId(), List.of()), w.getVersion(),
					(before != null) ? before.getState() : null, (before != null) ? before.getSince() : null,
					(before != null) ? before.getHeldState() : null, (before != null) ? before.getHeldSince() : null,
					presences.get(w.getId()));
		}).toList();
		return new MasterFacts(master, (state != null) ? state.getWorkersPolledAt() : null,
				(state != null) ? state.getLastError() : null, workerFacts, builderFacts, builds,
				this.fleet.interruptionsSince(master, windowStart));
	}

}
