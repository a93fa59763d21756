package org.fleethealth.health;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.fleet.FleetBuilder;
import org.fleethealth.fleet.FleetHeard;
import org.fleethealth.fleet.FleetPolled;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.FleetWorker;
import org.fleethealth.fleet.MasterStatus;
import org.fleethealth.fleet.PollKind;
import org.fleethealth.health.Facts.MasterFacts;
import org.fleethealth.system.MasterLocks;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;
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

	private final Classifier classifier;

	private final Clock clock;

	private final TransactionTemplate transactions;

	private final WorkerReports reports;

	private final ApplicationEventPublisher events;

	private final ClassificationRounds rounds;

	private final RoundFacts roundFacts;

	// Both poll jobs trigger classification; one at a time in a JVM keeps upserts simple (RoundLock). Instances of a
	// cluster take the master's row lock (MasterLocks.CLASSIFICATION) as well.
	private final RoundLock roundLock;

	private final PendingRounds pending = new PendingRounds();

	private final boolean sameWorkerAcrossMasters;

	// Masters whose workers this instance has polled (successfully or not) since it started.
	private final Set<String> workersPolled = ConcurrentHashMap.newKeySet();

	// Builds polls of a master not judged yet, by master: the first judgement waits for failing steps this long at
	// most. Where failed builds arrive faster than max-step-fetches reads them, it would wait for ever.
	private final Map<String, Integer> buildsPollsUnjudged = new ConcurrentHashMap<>();

	private static final int MAX_BUILDS_POLLS_WAITING_FOR_STEPS = 3;

	private final MasterLocks locks;

	private final Classifications classifications;

	private final Recalls recalls;

	private final EntityManager entityManager;

	ClassificationService(FleetQueries fleet, Healths healths,
			StateChanges changes, ClassificationProperties properties, Clock clock,
			TransactionTemplate transactions, WorkerReports reports, ApplicationEventPublisher events,
			ClassificationRounds rounds, RoundFacts roundFacts, MasterLocks locks,
			Classifications classifications, Recalls recalls, EntityManager entityManager, RoundLock roundLock) {
		this.roundLock = roundLock;
		this.sameWorkerAcrossMasters = properties.sameWorkerAcrossMasters();
		this.entityManager = entityManager;
		this.recalls = recalls;
		this.locks = locks;
		this.classifications = classifications;
		this.roundFacts = roundFacts;
		this.rounds = rounds;
		this.fleet = fleet;
		this.healths = healths;
		this.changes = changes;
		this.classifier = new Classifier(properties);
		this.clock = clock;
		// A round of its own, also when called from another transaction's after-commit phase (a listener run on
		// the publishing thread), where "required" would join the transaction that already committed.
		this.transactions = new TransactionTemplate(transactions.getTransactionManager());
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.reports = reports;
		this.events = events;
		fleet.masterNames().forEach(recalls::watch);
	}

	/**
	 * After commit and off the poll thread, like an {@code @ApplicationModuleListener}, but the transaction is
	 * opened by {@link #classify(String)} under the per-JVM lock, so the lock covers the commit. A failure is kept
	 * in the event publication registry and retried.
	 */
	@Async
	@TransactionalEventListener
	void onPolled(FleetPolled polled) {
		if (polled.kind() == PollKind.WORKERS) {
			this.workersPolled.add(polled.master());
		}
		else if (polled.kind() == PollKind.BUILDS) {
			this.buildsPollsUnjudged.merge(polled.master(), 1, Integer::sum);
		}
		classifyUnlessWaiting(polled.master());
	}

	/**
	 * Workers' changes heard live between two polls: judged within moments, the same way. So are the same workers
	 * on the other watched masters that list them (LLVM's staging), whose verdicts read where else a worker is
	 * connected: a worker back on production read offline on staging until staging's next poll.
	 */
	@Async
	@TransactionalEventListener
	void onHeard(FleetHeard heard) {
		classifyUnlessWaiting(heard.master());
		if (this.sameWorkerAcrossMasters) {
			this.fleet.masterNames()
				.stream()
				.filter((m) -> !m.equals(heard.master()))
				.filter((m) -> heard.connections().stream().anyMatch((c) -> this.fleet.worker(m, c.worker()).isPresent()))
				.forEach(this::classifyUnlessWaiting);
		}
	}

	/** A round of the master, unless one waits to start already (it covers this ask: {@link PendingRounds}). */
	private void classifyUnlessWaiting(String master) {
		if (this.pending.ask(master)) {
			classify(master);
		}
		else {
			logger.debug("Master '" + master + "': a round waits to start already and will read this change");
		}
	}

	/**
	 * Classifies every configured worker of one master now, stores the judgements and publishes
	 * {@link WorkersClassified}. Until this instance's first workers poll of the master ended, a master judged
	 * before keeps its stored judgements: a restart is no news about the fleet.
	 *
	 * @throws RuntimeException what the database threw; nothing of the round is stored then
	 */
	public void classify(String master) {
		this.roundLock.round(() -> {
			this.pending.starting(master);
			try {
				this.transactions.executeWithoutResult((status) -> classifyAndStore(master));
			}
			catch (RuntimeException ex) {
				// Nothing of the round is stored: what it remembered would make the next round keep verdicts not
				// made.
				this.recalls.failed(master);
				logger.error("Classifying the workers of master '" + master + "' failed", ex);
				throw ex;
			}
			return null;
		});
	}

	/**
	 * Classifies, stores the verdicts and returns the reports (built from what is in hand rather than read again)
	 * with what was made of each build; {@code null} when the master is not to be judged yet.
	 */
	private void classifyAndStore(String master) {
		// Written at commit only: a query in a session holding 10,000 judgements made Hibernate dirty-check them all
		// first (most of a round's reads), and nothing the round queries after changing them reads them back.
		this.entityManager.setFlushMode(FlushModeType.COMMIT);
		this.locks.lock(MasterLocks.CLASSIFICATION, master);
		Instant now = this.clock.instant();
		MasterStatus state = this.fleet.master(master).orElse(null);
		boolean firstRound = this.rounds.findById(master).isEmpty();
		if (!firstRound && !this.workersPolled.contains(master)) {
			logger.debug("Master '" + master + "': keeping the stored judgements until this instance's first workers"
					+ " poll of it");
			return;
		}
		if (firstRound && awaitingFirstBuilds(state)) {
			// Judged on connections alone, every worker would read healthy until its builds are read, then flip:
			// workers stay "not classified yet" until the first builds poll (or until that poll fails).
			logger.debug("Master '" + master + "': waiting for its first builds poll before classifying");
			return;
		}
		List<FleetWorker> workers = this.fleet.workers(master);
		Map<Long, WorkerHealth> previous = this.healths.findByMaster(master)
			.stream()
			.collect(Collectors.toMap(WorkerHealth::getWorkerId, Function.identity()));
		List<FleetBuilder> builders = this.fleet.builders(master);
		MasterFacts facts = this.roundFacts.of(master, state, workers, builders, previous, now);
		if (firstRound && awaitingSteps(master, state, facts)) {
			return;
		}
		ClassificationRound round = this.rounds.findById(master).orElseGet(() -> new ClassificationRound(master));
		Classifier.Judged judged = judge(master, facts, workers, previous, now, round.getClassifiedAt());
		Map<String, Verdict> verdicts = judged.verdicts();
		Map<Long, WorkerHealth> current = new HashMap<>();
		for (FleetWorker worker : workers) {
			Verdict verdict = verdicts.get(worker.name());
			WorkerHealth health = previous.get(worker.id());
			if (verdict == null) {
				// Nothing its verdict is made of changed: the stored judgement stands and is not written.
				current.put(worker.id(), health);
				continue;
			}
			boolean first = health == null;
			if (first) {
				health = new WorkerHealth(worker.id());
			}
			if (health.apply(verdict, now)) {
				this.changes.save(new WorkerStateChange(worker.id(), verdict));
				logger.info("Worker '" + worker.name() + "' of master '" + master + "' is now " + verdict.state()
						+ ": " + String.join("; ", verdict.evidence()));
			}
			// Judgements read above are managed and written back when they changed; only new ones are saved.
			current.put(worker.id(), first ? this.healths.save(health) : health);
		}
		round.classified(now);
		this.rounds.save(round);
		this.recalls.count(master, judged);
		List<WorkerReport> reports = this.reports.reports(master, workers, current, builders, now,
				(state != null) ? state.workersPolledAt() : null);
		// Held before publishing: the listeners run after the commit and read the round from there.
		this.classifications.hold(new Classification(master, now, true, reports, judged.builds()));
		this.events.publishEvent(new WorkersClassified(master, now, true));
	}

	/**
	 * The facts a round of the master would judge now, read the way a round reads them (the benchmark times the
	 * classifier alone on them).
	 */
	@Transactional(readOnly = true)
	public MasterFacts facts(String master) {
		Instant now = this.clock.instant();
		Map<Long, WorkerHealth> previous = this.healths.findByMaster(master)
			.stream()
			.collect(Collectors.toMap(WorkerHealth::getWorkerId, Function.identity()));
		return this.roundFacts.of(master, this.fleet.master(master).orElse(null), this.fleet.workers(master),
				this.fleet.builders(master), previous, now);
	}

	/**
	 * Judges the workers whose verdict can differ from their stored judgement ({@link Recall}), or all of them when
	 * a worker to be kept has no stored judgement (its row went missing): nothing is kept that was not stored.
	 */
	private Classifier.Judged judge(String master, MasterFacts facts, List<FleetWorker> workers,
			Map<Long, WorkerHealth> stored, Instant now, Instant storedRoundAt) {
		Recall recall = this.recalls.of(master);
		Classifier.Judged judged = this.classifier.classify(facts, now, recall, storedRoundAt);
		for (FleetWorker worker : workers) {
			if (!judged.verdicts().containsKey(worker.name()) && !stored.containsKey(worker.id())) {
				logger.warn("Master '" + master + "': worker '" + worker.name() + "' has no stored judgement to keep;"
						+ " judging every worker");
				recall.forget();
				return this.classifier.classify(facts, now, recall, storedRoundAt);
			}
		}
		return judged;
	}

	/**
	 * A master met for the first time is judged once it has answered both a workers poll and a builds poll, unless
	 * its polls fail (then its workers are judged on what can be said: unknown).
	 */
	private static boolean awaitingFirstBuilds(MasterStatus state) {
		return state != null && state.consecutiveFailures() == 0
				&& (state.workersPolledAt() == null || state.buildsPolledAt() == null);
	}

	/**
	 * The first judgement also waits for the failing steps of the first sync's failed builds (read a moment after
	 * the builds, at most {@code max-step-fetches} a poll), unless the master is failing, for three builds polls at
	 * most: failed builds may arrive faster than they are read.
	 */
	private boolean awaitingSteps(String master, MasterStatus state, MasterFacts facts) {
		long unknown = facts.builds().stream().filter((b) -> b.complete() && !b.stepsKnown()).count();
		if (state == null || state.consecutiveFailures() > 0 || unknown == 0) {
			return false;
		}
		int polls = this.buildsPollsUnjudged.getOrDefault(master, 0);
		if (polls >= MAX_BUILDS_POLLS_WAITING_FOR_STEPS) {
			logger.info("Master '" + master + "': judged after " + polls + " builds polls without the failing steps of "
					+ unknown + " failed builds; each is judged once its steps are read");
			return false;
		}
		logger.debug("Master '" + master + "': waiting for the steps of " + unknown + " failed builds before"
				+ " classifying");
		return true;
	}

}
