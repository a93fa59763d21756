package org.fleethealth.gate;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.fleet.FleetBuilder;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.health.Classification;
import org.fleethealth.health.Classifications;
import org.fleethealth.health.RoundLock;
import org.fleethealth.health.JudgedBuild;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkersClassified;
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

	private final StableBuilders stableBuilders;

	private final GateRules rules;

	private final StableSetRules stableSet;

	private final GateMetrics metrics;

	private final GateProperties properties;

	private final Clock clock;

	private final Map<String, GateReport> latest = new ConcurrentHashMap<>();

	/** When each master's latest round this instance reacted to ran. */
	private final Map<String, Instant> roundAt = new ConcurrentHashMap<>();

	/** Each master's stable-set proposal and the round it is as of: worked out again only after a newer round. */
	private final Map<String, Proposed> proposals = new ConcurrentHashMap<>();

	private final Classifications classifications;

	private final MasterSerial serial = new MasterSerial();

	private final RoundLock roundLock;

	private final TransactionTemplate transactions;

	ReleaseGates(FleetQueries fleet, WorkerReports reports, GateProperties properties, GateMetrics metrics,
			StableBuilders stableBuilders, Clock clock, Classifications classifications,
			PlatformTransactionManager transactions, RoundLock roundLock) {
		this.roundLock = roundLock;
		this.classifications = classifications;
		this.transactions = new TransactionTemplate(transactions);
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.fleet = fleet;
		this.reports = reports;
		this.stableBuilders = stableBuilders;
		this.rules = new GateRules(properties);
		this.stableSet = new StableSetRules(properties);
		this.properties = properties;
		this.metrics = metrics;
		this.clock = clock;
		properties.checkMasters(fleet.masterNames());
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
		if (!this.properties.gated(classified.master())) {
			return;
		}
		// The round has committed: the stable-set proposal kept from before it is out of date.
		this.roundAt.merge(classified.master(), classified.classifiedAt(), (a, b) -> b.isAfter(a) ? b : a);
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

	/** The watched masters that have a release gate (not in {@code excluded-masters}), in configuration order. */
	public List<String> masters() {
		return this.fleet.masterNames().stream().filter(this.properties::gated).toList();
	}

	/** The watched masters without a release gate ({@code fleet-health.gate.excluded-masters}), in configuration order. */
	public List<String> ungated() {
		return this.fleet.masterNames().stream().filter((m) -> !this.properties.gated(m)).toList();
	}

	/**
	 * The latest gate of a master, every branch (evaluated now if there is none yet); empty for a master not
	 * watched or without a gate ({@link #ungated()}).
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
		if (branch == null || branch.isBlank()) {
			return gate(master);
		}
		return gate(master)
			.map((g) -> this.properties.excluded(branch.strip()) ? g.onExcludedBranch(branch.strip()) : g.onBranch(branch));
	}

	/** Evaluates a master's gate now from its latest classification; empty for a master not watched. */
	public Optional<GateReport> refresh(String master) {
		return masters().contains(master) ? Optional.of(refreshKnown(master)) : Optional.empty();
	}

	/**
	 * Which builders should join or leave the stable set, from evidence; empty for a master not watched. Worked out
	 * when first asked after each round of the master (its {@code evaluatedAt} says when) and kept until the next:
	 * it reads every build of {@code stable-after}, a third of a second per request on LLVM's shape, and only a
	 * round brings new builds and judgements.
	 */
	public Optional<StableSetProposal> proposal(String master) {
		if (!masters().contains(master)) {
			return Optional.empty();
		}
		Instant round = this.roundAt.get(master);
		Proposed kept = this.proposals.get(master);
		if (kept != null && round != null && round.equals(kept.roundAt())) {
			return Optional.of(kept.proposal());
		}
		Instant now = this.clock.instant();
		StableSetProposal proposal = this.stableSet.propose(master,
				this.stableBuilders.candidates(master, this.reports.workers(master), now), now);
		if (round != null) {
			// A round that ran meanwhile has a later instant: the next request works the proposal out again.
			this.proposals.put(master, new Proposed(round, proposal));
		}
		return Optional.of(proposal);
	}

	/** A stable-set proposal as of a round. */
	private record Proposed(Instant roundAt, StableSetProposal proposal) {
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
		boolean buildersRead = this.fleet.master(master).map((m) -> m.buildsPolledAt() != null).orElse(false);
		return this.rules.evaluate(master, this.stableBuilders.of(master, classified, fresh, now), now, buildersRead);
	}

	/**
	 * Whether a builder is in its master's stable set: tagged {@code fleet-health.gate.stable-tag}, or named in
	 * {@code stable-builders} / {@code stable-builders-by-master}; never on a master without a gate
	 * ({@code excluded-masters}).
	 */
	public boolean isStable(FleetBuilder builder) {
		return this.stableBuilders.isStable(builder);
	}

}
