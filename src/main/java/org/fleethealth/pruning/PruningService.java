package org.fleethealth.pruning;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.WorkerOwners;
import org.fleethealth.fleet.Owner;
import org.fleethealth.health.Classifications;
import org.fleethealth.health.RoundLock;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkersClassified;
import org.fleethealth.system.MasterSerial;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Opens, withdraws and wakes up removal proposals after each classification, and carries out maintainers'
 * decisions. New proposals are announced with {@link ProposalsCreated} inside the same transaction.
 */
@Service
public class PruningService {

	private static final Log logger = LogFactory.getLog(PruningService.class);

	private final Proposals proposals;

	private final FleetQueries fleet;

	private final WorkerOwners owners;

	private final PruningPolicy policy;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final PruningMetrics metrics;

	private final Classifications classifications;

	private final MasterSerial serial = new MasterSerial();

	private final RoundLock roundLock;

	private final TransactionTemplate transactions;

	private final ProposalChanges changes;

	private final SharedWorkers shared;

	PruningService(Proposals proposals, FleetQueries fleet, PruningProperties properties,
			Clock clock, ApplicationEventPublisher events, PruningMetrics metrics, Classifications classifications,
			PlatformTransactionManager transactions, RoundLock roundLock, WorkerOwners owners, SharedWorkers shared) {
		this.owners = owners;
		this.shared = shared;
		this.roundLock = roundLock;
		this.transactions = new TransactionTemplate(transactions);
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.classifications = classifications;
		this.proposals = proposals;
		this.fleet = fleet;
		this.policy = new PruningPolicy(properties);
		this.clock = clock;
		this.events = events;
		this.metrics = metrics;
		this.changes = new ProposalChanges(proposals, fleet);
	}

	/**
	 * After the classification committed, off the poll thread, in a transaction of its own; a failure is kept and
	 * retried (registry). Only rounds judged just now decide anything: reloaded judgements were decided on already.
	 * Not an {@code @ApplicationModuleListener}, whose transaction would begin before the master's turn: two rounds
	 * of one master would both open the same proposal.
	 */
	@Async
	@TransactionalEventListener
	void onClassified(WorkersClassified classified) {
		if (classified.reclassified()) {
			// One reaction of its size at a time, and never beside a round (RoundLock).
			this.roundLock.reaction(() -> this.serial.run(classified.master(), () -> this.transactions
				.executeWithoutResult((status) -> evaluate(classified.master(),
						this.classifications.of(classified).workers()))));
		}
	}

	/** Applies the policy to every worker of a master that it can decide anything for ({@link PruningPolicy#inPlay}). */
	@Transactional
	public List<ProposalView> evaluate(String master, List<WorkerReport> reports) {
		Instant now = this.clock.instant();
		Map<String, List<Proposal>> byWorker = this.proposals.findByMasterAndStatusIn(master, EnumSet.allOf(ProposalStatus.class))
			.stream()
			.sorted((a, b) -> Long.compare(b.getId(), a.getId()))
			.collect(Collectors.groupingBy(Proposal::getWorker));
		Map<String, PruningPolicy.BackBy> backBy = this.shared.backByDates(master, now);
		List<ProposalView> announced = new ArrayList<>();
		for (WorkerReport report : reports) {
			List<Proposal> existing = byWorker.getOrDefault(report.name(), List.of());
			if (!PruningPolicy.inPlay(report, existing)) {
				continue;
			}
			for (PruningPolicy.Decision decision : this.policy.decide(report, existing, backBy.get(report.name()), now)) {
				Proposal changed = this.changes.apply(master, report, existing, decision, now);
				if (changed != null && changed.getStatus() == ProposalStatus.PROPOSED) {
					announced.add(ProposalView.of(changed, report.owner().name(), report.owner().email()));
				}
			}
		}
		this.changes.withdrawForDeparted(master, reports, byWorker, now);
		if (!announced.isEmpty()) {
			this.events.publishEvent(new ProposalsCreated(master, announced));
		}
		countWaiting(master);
		return announced;
	}

	static Instant endOfDay(LocalDate date) {
		return date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
	}

	/**
	 * Approves a waiting proposal, and the same worker's waiting proposal of the same kind on every other master that
	 * has it ({@link #twins}): one configuration, one decision. Returns this one.
	 *
	 * @throws ProposalNotFoundException no such proposal
	 * @throws ProposalClosedException decided or withdrawn already
	 */
	@Transactional
	public ProposalView approve(long id, String by) {
		return decide(decidable(id), (p, now) -> {
			p.approve(by, now);
			this.changes.withdrawHiding(p, now);
		});
	}

	/** Rejects a waiting proposal, and its {@link #twins}, as {@link #approve}. */
	@Transactional
	public ProposalView reject(long id, String by) {
		return decide(decidable(id), (p, now) -> p.reject(by, now));
	}

	/**
	 * Snoozes a waiting proposal, and its {@link #twins}, until the end of {@code until} (UTC).
	 *
	 * @throws IllegalArgumentException {@code until} is not in the future, or more than a year ahead
	 */
	@Transactional
	public ProposalView snooze(long id, LocalDate until, String by) {
		Proposal proposal = decidable(id);
		Instant end = ProposalChanges.snoozeEnd(until, this.clock.instant());
		return decide(proposal, (p, at) -> p.snooze(end, by, at));
	}

	/**
	 * Takes back an approved proposal that was not carried out (its worker came back, the approval was a mistake):
	 * withdrawn in the maintainer's name, and the same worker's approved proposal of that kind on the other masters
	 * that have it. It leaves the export; the worker is judged and proposed afresh.
	 *
	 * @throws ProposalNotFoundException no such proposal
	 * @throws ProposalClosedException the proposal is not approved (one still waiting is rejected instead)
	 */
	@Transactional
	public ProposalView withdraw(long id, String by) {
		Proposal proposal = this.proposals.findById(id).orElseThrow(() -> new ProposalNotFoundException(id));
		if (proposal.getStatus() != ProposalStatus.APPROVED) {
			throw new ProposalClosedException("Proposal " + id + " is " + proposal.getStatus() + ": only an approved"
					+ " one is withdrawn" + (proposal.getStatus().isDecidable() ? "; reject it instead" : ""));
		}
		Instant now = this.clock.instant();
		List<Proposal> withdrawn = new ArrayList<>(List.of(proposal));
		withdrawn.addAll(this.shared.twins(proposal));
		withdrawn.forEach((p) -> p.withdraw(by, now));
		return view(proposal);
	}

	/**
	 * The proposals that a maintainer's decision on proposal {@code id} also takes: the same kind, for the same worker,
	 * at the same stage (waiting, or approved for {@link #withdraw}), on the other watched masters that have it
	 * configured ({@link SharedWorkers}; LLVM's production and staging load one configuration, so a removal from one
	 * is a removal from both). Empty for a worker of one master, or with
	 * {@code classification.same-worker-across-masters} off.
	 */
	@Transactional(readOnly = true)
	public List<ProposalView> twins(long id) {
		return this.proposals.findById(id).map((p) -> this.shared.twins(p).stream().map(this::view).toList())
			.orElse(List.of());
	}

	private ProposalView decide(Proposal proposal, BiConsumer<Proposal, Instant> decision) {
		Instant now = this.clock.instant();
		List<Proposal> decided = new ArrayList<>(List.of(proposal));
		decided.addAll(this.shared.twins(proposal));
		for (Proposal p : decided) {
			decision.accept(p, now);
			countWaiting(p.getMaster());
		}
		return view(proposal);
	}

	private void countWaiting(String master) {
		this.metrics.update(master, this.proposals.countByMasterAndStatus(master, ProposalStatus.PROPOSED));
	}

	private Proposal decidable(long id) {
		Proposal p = this.proposals.findById(id).orElseThrow(() -> new ProposalNotFoundException(id));
		if (!p.getStatus().isDecidable()) {
			throw new ProposalClosedException(id, p.getStatus());
		}
		return p;
	}

	/**
	 * "Retire it" from the owner: the worker's removal is approved (proposed first if need be), here and on every
	 * other master that has the same worker ({@link SharedWorkers}). Returns this master's.
	 */
	@Transactional
	public ProposalView retire(String master, String worker, String by, Instant now) {
		List<String> masters = this.shared.masters(master, worker);
		masters.stream().skip(1).forEach((other) -> retireOn(other, worker, by, now));
		return retireOn(master, worker, by, now);
	}

	private ProposalView retireOn(String master, String worker, String by, Instant now) {
		Proposal open = this.proposals.findByMasterAndWorkerOrderByIdDesc(master, worker)
			.stream()
			.filter((p) -> p.getKind() == ProposalKind.REMOVE_WORKER && p.getStatus().isOpen())
			.findFirst()
			.orElseGet(() -> this.proposals.save(new Proposal(master, worker, ProposalKind.REMOVE_WORKER,
					"the owner asked to retire it", ProposalChanges.fitBuilders(this.fleet.builderNames(master, worker)), now)));
		if (open.getStatus() == ProposalStatus.APPROVED) {
			// Approved already: who approved it, and when, stays as it was.
			return view(open);
		}
		open.approve(by, now);
		this.changes.withdrawHiding(open, now);
		countWaiting(master);
		return view(open);
	}

	/**
	 * "Back by" from the owner: open proposals of the worker wait until the end of that day, here and on every other
	 * master that has the same worker ({@link SharedWorkers}).
	 */
	@Transactional
	public void snoozeFor(String master, String worker, LocalDate until, String by, Instant now) {
		for (String m : this.shared.masters(master, worker)) {
			this.proposals.findByMasterAndWorkerOrderByIdDesc(m, worker)
				.stream()
				.filter((p) -> p.getStatus() == ProposalStatus.PROPOSED || p.getStatus() == ProposalStatus.SNOOZED)
				.forEach((p) -> p.snooze(endOfDay(until), by, now));
			countWaiting(m);
		}
	}

	@Transactional(readOnly = true)
	public List<ProposalView> proposals(Optional<ProposalStatus> status) {
		return this.proposals.findAllByOrderByIdDesc()
			.stream()
			.filter((p) -> status.isEmpty() || p.getStatus() == status.get())
			.map(this::view)
			.toList();
	}

	@Transactional(readOnly = true)
	public List<ProposalView> proposals(String master, String worker) {
		return this.proposals.findByMasterAndWorkerOrderByIdDesc(master, worker).stream().map(this::view).toList();
	}

	@Transactional(readOnly = true)
	public Optional<ProposalView> proposal(long id) {
		return this.proposals.findById(id).map(this::view);
	}

	/** Approved proposals, for the people who edit the master configuration. */
	@Transactional(readOnly = true)
	public List<ProposalView> approved() {
		return this.proposals.findByStatusInOrderByMasterAscWorkerAscIdAsc(List.of(ProposalStatus.APPROVED))
			.stream()
			.map(this::view)
			.toList();
	}

	private ProposalView view(Proposal p) {
		Owner owner = this.fleet.worker(p.getMaster(), p.getWorker()).map(this.owners::owner).orElse(null);
		return ProposalView.of(p, (owner != null) ? owner.name() : null, (owner != null) ? owner.email() : null);
	}

}
