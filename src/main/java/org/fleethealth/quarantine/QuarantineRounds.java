package org.fleethealth.quarantine;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.health.Classification;
import org.fleethealth.health.Classifications;
import org.fleethealth.health.RoundLock;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;
import org.fleethealth.health.WorkersClassified;
import org.fleethealth.quarantine.internal.Quarantine;
import org.fleethealth.quarantine.internal.Quarantines;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * After each classification: opens proposals for workers flaky-host for {@code after}, withdraws those that
 * recovered, confirms pauses on the workers poll ({@link PauseConfirmation}), and judges workers on probation by their next builds.
 */
@Component
class QuarantineRounds {

	private static final Log logger = LogFactory.getLog(QuarantineRounds.class);

	private static final List<QuarantineStatus> OPEN = List.of(QuarantineStatus.PROPOSED,
			QuarantineStatus.QUARANTINED, QuarantineStatus.PROBATION);

	private final Quarantines quarantines;

	private final QuarantineActions actions;

	private final QuarantineFacts facts;

	private final QuarantineProperties properties;

	private final Classifications classifications;

	private final QuarantineMetrics metrics;

	private final Clock clock;

	private final TransactionTemplate transactions;

	private final ApplicationEventPublisher events;

	private final RoundLock roundLock;

	private final PauseConfirmation pauses;

	private final Probations probations;

	QuarantineRounds(Quarantines quarantines, QuarantineActions actions, QuarantineFacts facts,
			QuarantineProperties properties, Classifications classifications,
			QuarantineMetrics metrics, Clock clock, PlatformTransactionManager transactions,
			ApplicationEventPublisher events, RoundLock roundLock, PauseConfirmation pauses, Probations probations) {
		this.roundLock = roundLock;
		this.probations = probations;
		this.pauses = pauses;
		this.events = events;
		this.quarantines = quarantines;
		this.actions = actions;
		this.facts = facts;
		this.properties = properties;
		this.classifications = classifications;
		this.metrics = metrics;
		this.clock = clock;
		this.transactions = new TransactionTemplate(transactions);
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * After the classification committed, off the poll thread, one master at a time, in a transaction of its own
	 * (as pruning). Only rounds judged just now decide anything.
	 */
	@Async
	@TransactionalEventListener
	void onClassified(WorkersClassified classified) {
		if (classified.reclassified()) {
			// One reaction of its size at a time, and never beside a round (RoundLock).
			this.roundLock.reaction(() -> {
				Classification c = this.classifications.of(classified);
				this.actions.serial.run(classified.master(),
						() -> this.transactions.executeWithoutResult((status) -> evaluate(c)));
			});
		}
		else {
			// Reloaded judgements (at start, or another instance classified): the gauge shows the quarantines as
			// they are, without reading the reports; nothing is decided.
			this.metrics.refresh(classified.master(), this.actions.quarantined(classified.master()));
		}
	}

	/** Applies one round to the master's quarantines. */
	void evaluate(Classification c) {
		Instant now = this.clock.instant();
		Map<String, Quarantine> open = new HashMap<>();
		Map<String, Quarantine> lastClosed = new HashMap<>();
		for (Quarantine q : this.quarantines.findByMasterOrderByIdDesc(c.master())) {
			if (q.getStatus().isOpen()) {
				open.putIfAbsent(q.getWorker(), q);
			}
			else {
				lastClosed.putIfAbsent(q.getWorker(), q);
			}
		}
		Set<String> present = new HashSet<>();
		String unsettled = this.facts.unsettled(c.master(), now);
		RoundFacts asked = new RoundFacts(this.facts.takeovers(c.master(), c.workers()),
				this.facts.cases(c.master(), c.builds(), now));
		Held held = new Held(() -> this.actions.quarantined(c.master()));
		for (WorkerReport report : c.workers()) {
			present.add(report.name());
			Quarantine q = open.get(report.name());
			if (q == null) {
				if (unsettled == null) {
					propose(c, report, lastClosed.get(report.name()), asked, held, now);
				}
				else if (report.state() == WorkerState.FLAKY_HOST) {
					logger.debug("Master '" + c.master() + "': no quarantine proposal for '" + report.name() + "' while "
							+ unsettled);
				}
				continue;
			}
			switch (q.getStatus()) {
				case PROPOSED -> {
					// Unknown is no recovery: a silent master's workers are all unknown, and an outage must not
					// withdraw a proposal only to make it again, and mail it again, 'after' it ends.
					if (report.state() != WorkerState.FLAKY_HOST && report.state() != WorkerState.UNKNOWN) {
						this.actions.end(q, QuarantineStatus.WITHDRAWN, "withdrawn",
								"it is " + report.state() + " now, no longer flaky-host", now);
					}
				}
				case QUARANTINED -> this.pauses.check(q, now);
				case PROBATION -> {
					if (this.probations.judge(c, q, () -> open(c.master(), report, asked, held, now), now)) {
						held.changed();
					}
				}
				default -> {
				}
			}
		}
		open.values()
			.stream()
			.filter((q) -> q.getStatus() == QuarantineStatus.PROPOSED && !present.contains(q.getWorker()))
			.forEach((q) -> this.actions.end(q, QuarantineStatus.WITHDRAWN, "withdrawn",
					"it left the configuration of its master", now));
		this.metrics.update(c.master(), present, this.actions.quarantined(c.master()));
	}

	/**
	 * A worker flaky-host for {@code after}, counted again from the end of its last quarantine or proposal, is
	 * proposed (and approved at once with {@code auto}). After a passed probation it takes a new host failure too:
	 * the failures from before the quarantine stay in the classification window for days, and are answered. After a
	 * rejection, only a new flaky-host spell is proposed again.
	 */
	private void propose(Classification c, WorkerReport report, Quarantine last, RoundFacts asked,
			Held held, Instant now) {
		if (report.state() != WorkerState.FLAKY_HOST || report.since().plus(this.properties.after()).isAfter(now)) {
			return;
		}
		if (last != null && (last.getUpdatedAt().plus(this.properties.after()).isAfter(now)
				// A maintainer's no holds while the worker stays flaky-host, as for removal proposals.
				|| (last.getStatus() == QuarantineStatus.REJECTED && !report.since().isAfter(last.getUpdatedAt()))
				|| (last.getStatus() == QuarantineStatus.RELEASED
						&& !this.probations.hostFailureSince(c, report.name(), last.getUpdatedAt())))) {
			return;
		}
		if (last != null && last.getStatus() == QuarantineStatus.REFUSED
				&& stillRefused(c, report, asked.cases(), held)) {
			return;
		}
		Quarantine q = open(c.master(), report, asked, held, now);
		if (this.properties.auto()) {
			this.actions.approve(q, QuarantineActions.FLEET_HEALTH + " (auto)", asked.cases(), now);
			held.changed();
		}
		else {
			// A maintainer would approve it only to see it refused: say so beside the Approve button.
			refusalNow(report, asked.cases(), held).ifPresent((v) -> q.note("as proposed, the safety valve would refuse it ("
					+ v.refusal() + "): " + v.why() + "; approving asks it again then", now));
			this.events.publishEvent(new QuarantineProposed(QuarantineView.of(q)));
		}
	}

	/**
	 * Whether the safety valve would refuse again what it refused last time. Proposing it anyway would ask the
	 * maintainers every {@code after} (four times a day by default) to approve what cannot go through, for as long
	 * as, say, the worker serves a stable builder alone.
	 */
	private boolean stillRefused(Classification c, WorkerReport report, QuarantineFacts.Cases cases, Held held) {
		return refusalNow(report, cases, held).map((v) -> {
			logger.debug("Master '" + c.master() + "': no new quarantine proposal for '" + report.name()
					+ "': the safety valve would refuse it again (" + v.refusal() + "): " + v.why());
			return true;
		}).orElse(false);
	}

	/** What the safety valve would say to quarantining the worker now. */
	private Optional<QuarantineRules.Verdict> refusalNow(WorkerReport report, QuarantineFacts.Cases cases, Held held) {
		Set<String> others = new HashSet<>(held.get());
		others.remove(report.name());
		return this.actions.refusal(cases, report.name(), others);
	}

	private Quarantine open(String master, WorkerReport report, RoundFacts asked, Held held, Instant now) {
		return this.actions.propose(master, report, asked.takeovers().of(report.name(), held.get()), now);
	}

	/**
	 * What one round asks of the fleet for its proposals: each read once, when first asked ({@link QuarantineFacts}).
	 */
	private record RoundFacts(QuarantineFacts.Takeovers takeovers, QuarantineFacts.Cases cases) {
	}

	/**
	 * The master's workers held quarantined, read once per round (a round may open hundreds of proposals, each with
	 * its takeover lines) and again only after the round paused one.
	 */
	private static final class Held {

		private final Supplier<Set<String>> read;

		private Set<String> workers;

		Held(Supplier<Set<String>> read) {
			this.read = read;
		}

		Set<String> get() {
			if (this.workers == null) {
				this.workers = this.read.get();
			}
			return this.workers;
		}

		void changed() {
			this.workers = null;
		}

	}

}
