package org.fleethealth.quarantine;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.health.Classifications;
import org.fleethealth.health.JudgedBuild;
import org.fleethealth.health.WorkersClassified;
import org.fleethealth.pruning.OwnerReplied;
import org.fleethealth.pruning.ReplyAction;
import org.fleethealth.quarantine.internal.Quarantine;
import org.fleethealth.quarantine.internal.QuarantineEvents;
import org.fleethealth.quarantine.internal.Quarantines;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Quarantines for the API and pages: the review queue, maintainers' decisions (approve, reject, release), owners'
 * "fixed" replies, and each worker's quarantine history. Decisions run one master at a time with the rounds.
 */
@Service
public class QuarantineService {

	private static final Log logger = LogFactory.getLog(QuarantineService.class);

	private final Quarantines quarantines;

	private final QuarantineEvents events;

	private final QuarantineActions actions;

	private final Classifications classifications;

	private final Clock clock;

	private final TransactionTemplate transactions;

	QuarantineService(Quarantines quarantines, QuarantineEvents events, QuarantineActions actions,
			Classifications classifications, Clock clock, PlatformTransactionManager transactions) {
		this.quarantines = quarantines;
		this.events = events;
		this.actions = actions;
		this.classifications = classifications;
		this.clock = clock;
		this.transactions = new TransactionTemplate(transactions);
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/** Every quarantine, newest first, or those with one status. */
	@Transactional(readOnly = true)
	public List<QuarantineView> proposals(Optional<QuarantineStatus> status) {
		return this.quarantines.findAllByOrderByIdDesc()
			.stream()
			.filter((q) -> status.isEmpty() || q.getStatus() == status.get())
			.map(QuarantineView::of)
			.toList();
	}

	/** One quarantine by its number. */
	@Transactional(readOnly = true)
	public Optional<QuarantineView> proposal(long id) {
		return this.quarantines.findById(id).map(QuarantineView::of);
	}

	/** A worker's quarantines, newest first. */
	@Transactional(readOnly = true)
	public List<QuarantineView> proposals(String master, String worker) {
		return this.quarantines.findByMasterAndWorkerOrderByIdDesc(master, worker)
			.stream()
			.map(QuarantineView::of)
			.toList();
	}

	/** A worker's quarantine history (every proposal, pause and release, and who did it), newest first. */
	@Transactional(readOnly = true)
	public List<QuarantineEventView> history(String master, String worker) {
		return this.events.findByMasterAndWorkerOrderByIdDesc(master, worker)
			.stream()
			.map(QuarantineEventView::of)
			.toList();
	}

	/**
	 * Approves a proposal: the safety valve may still refuse it; otherwise the worker is paused on its master.
	 *
	 * @return the quarantine afterwards: {@code quarantined}, {@code refused} (with {@code refusal} and
	 * {@code note}), {@code no-access}, {@code withdrawn}, or {@code proposed} again with a note when the master
	 * could not be reached
	 * @throws QuarantineNotFoundException for an unknown number
	 * @throws QuarantineConflictException when it is not waiting for a decision
	 */
	public QuarantineView approve(long id, String by) {
		return decide(id, (q, now) -> {
			decidable(q);
			this.actions.approve(q, by, judged(q.getMaster()), now);
		});
	}

	/**
	 * Rejects a proposal: nothing is paused.
	 *
	 * @throws QuarantineNotFoundException for an unknown number
	 * @throws QuarantineConflictException when it is not waiting for a decision
	 */
	public QuarantineView reject(long id, String by) {
		return decide(id, (q, now) -> {
			decidable(q);
			q.decide(by, now);
			q.moveTo(QuarantineStatus.REJECTED, now);
			this.actions.record(q, "rejected", by, null, now);
		});
	}

	/**
	 * Releases a quarantined worker: unpaused, on probation for its next builds.
	 *
	 * @return the quarantine afterwards: {@code probation}, or still {@code quarantined} with a note when the
	 * master refused the unpause
	 * @throws QuarantineNotFoundException for an unknown number
	 * @throws QuarantineConflictException when it is not quarantined, or someone else paused the worker
	 */
	public QuarantineView release(long id, String by) {
		return decide(id, (q, now) -> this.actions.release(q, by, now));
	}

	/** The owner's "fixed" reply releases the worker, once the reply committed; other replies are not ours. */
	@ApplicationModuleListener
	void onOwnerReplied(OwnerReplied reply) {
		if (reply.action() != ReplyAction.FIXED) {
			return;
		}
		Optional<Quarantine> open = this.quarantines.findByOpenKey(reply.master() + "/" + reply.worker());
		if (open.isEmpty() || open.get().getStatus() != QuarantineStatus.QUARANTINED) {
			logger.info("Owner replied 'fixed' for '" + reply.worker() + "' of master '" + reply.master()
					+ "', which fleet-health does not hold quarantined: nothing to release");
			return;
		}
		try {
			release(open.get().getId(), reply.by());
		}
		catch (QuarantineConflictException ex) {
			// Someone else paused it meanwhile: nothing to retry, the reply stays recorded for the maintainers.
			logger.warn("Owner replied 'fixed' for '" + reply.worker() + "' of master '" + reply.master()
					+ "', not released: " + ex.getMessage());
		}
	}

	private QuarantineView decide(long id, Decision decision) {
		String master = this.quarantines.findById(id)
			.map(Quarantine::getMaster)
			.orElseThrow(() -> new QuarantineNotFoundException(id));
		return this.actions.serial.run(master, () -> this.transactions.execute((status) -> {
			Quarantine q = this.quarantines.findById(id).orElseThrow(() -> new QuarantineNotFoundException(id));
			decision.apply(q, this.clock.instant());
			return QuarantineView.of(q);
		}));
	}

	private static void decidable(Quarantine q) {
		if (q.getStatus() != QuarantineStatus.PROPOSED) {
			throw new QuarantineConflictException(
					"Proposal #" + q.getId() + " is " + q.getStatus().phrase() + ": it is not waiting for a decision");
		}
	}

	/** The latest round's build judgements of a master, where this instance holds them in memory. */
	private Map<Long, JudgedBuild> judged(String master) {
		return this.classifications.of(new WorkersClassified(master, Instant.EPOCH, true)).builds();
	}

	@FunctionalInterface
	private interface Decision {

		void apply(Quarantine q, Instant now);

	}

}
