package org.fleethealth.pruning;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

	private final OwnerReplies replies;

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

	PruningService(Proposals proposals, OwnerReplies replies, FleetQueries fleet, PruningProperties properties,
			Clock clock, ApplicationEventPublisher events, PruningMetrics metrics, Classifications classifications,
			PlatformTransactionManager transactions, RoundLock roundLock, WorkerOwners owners, SharedWorkers shared) {
		this.owners = owners;
		this.shared = shared;
		this.roundLock = roundLock;
		this.transactions = new TransactionTemplate(transactions);
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.classifications = classifications;
		this.proposals = proposals;
		this.replies = replies;
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
		Map<String, Instant> backBy = this.shared.backByDates(master, now);
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

	@Transactional
	public ProposalView approve(long id, String by) {
		Proposal p = decidable(id);
		p.approve(by, this.clock.instant());
		this.changes.withdrawHiding(p, this.clock.instant());
		countWaiting(p.getMaster());
		return view(p);
	}

	@Transactional
	public ProposalView reject(long id, String by) {
		Proposal p = decidable(id);
		p.reject(by, this.clock.instant());
		countWaiting(p.getMaster());
		return view(p);
	}

	@Transactional
	public ProposalView snooze(long id, LocalDate until, String by) {
		Proposal p = decidable(id);
		Instant now = this.clock.instant();
		LocalDate latest = LocalDate.ofInstant(now, ZoneOffset.UTC).plusYears(1);
		if (until != null && until.isAfter(latest)) {
			// As an owner's "back by": a year at most. Further is a typo, or a no that should be a rejection.
			throw new IllegalArgumentException("Snooze until a date within a year (" + latest + " at the latest), got "
					+ until + "; reject the proposal to stop it being asked");
		}
		if (until == null || !endOfDay(until).isAfter(now)) {
			throw new IllegalArgumentException("Snooze needs a date in the future, got " + until);
		}
		p.snooze(endOfDay(until), by, now);
		countWaiting(p.getMaster());
		return view(p);
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

	/** Its owners' replies about a worker, newest first: here and on the other masters that have it ({@link SharedWorkers}). */
	@Transactional(readOnly = true)
	public List<ReplyView> replies(String master, String worker) {
		return this.shared.masters(master, worker)
			.stream()
			.flatMap((m) -> this.replies.findByMasterAndWorkerOrderByIdDesc(m, worker).stream())
			.sorted(Comparator.comparing(OwnerReply::getId).reversed())
			.map(ReplyView::of)
			.toList();
	}

	/** The latest reply about one worker, if any (as {@link #replies}). */
	@Transactional(readOnly = true)
	public Optional<ReplyView> latestReply(String master, String worker) {
		return replies(master, worker).stream().findFirst();
	}

	/** The latest reply for each worker of a master, also one given on another master that has it. */
	@Transactional(readOnly = true)
	public Map<String, ReplyView> latestReplies(String master) {
		Map<String, OwnerReply> latest = new HashMap<>();
		this.shared.masters(master).forEach((m) -> this.replies.findByMasterOrderByIdDesc(m)
			.forEach((r) -> latest.merge(r.getWorker(), r, (a, b) -> (b.getId() > a.getId()) ? b : a)));
		Map<String, ReplyView> views = new HashMap<>();
		latest.forEach((worker, r) -> views.put(worker, ReplyView.of(r)));
		return views;
	}

	private ProposalView view(Proposal p) {
		Owner owner = this.fleet.worker(p.getMaster(), p.getWorker()).map(this.owners::owner).orElse(null);
		return ProposalView.of(p, (owner != null) ? owner.name() : null, (owner != null) ? owner.email() : null);
	}

}
