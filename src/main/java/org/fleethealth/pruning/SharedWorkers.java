package org.fleethealth.pruning;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.FleetWorker;
import org.fleethealth.health.ClassificationProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * One worker configured on several watched masters (LLVM's production and staging load one configuration), for
 * proposals and owners' replies: its owner is told once about a proposal that both masters open, a reply counts
 * on every master that has the worker, and so does a maintainer's decision. With {@code classification.same-worker-across-masters} off, or one master
 * watched, each master's worker is its own.
 */
@Service
@Transactional(readOnly = true)
public class SharedWorkers {

	private final FleetQueries fleet;

	private final Proposals proposals;

	private final OwnerReplies replies;

	private final boolean sameWorkerAcrossMasters;

	SharedWorkers(FleetQueries fleet, Proposals proposals, OwnerReplies replies, ClassificationProperties classification) {
		this.fleet = fleet;
		this.replies = replies;
		this.proposals = proposals;
		this.sameWorkerAcrossMasters = classification.sameWorkerAcrossMasters();
	}

	/** Whether a worker name on several watched masters is one worker: the setting is on and two or more are watched. */
	public boolean active() {
		return this.sameWorkerAcrossMasters && this.fleet.masterNames().size() >= 2;
	}

	/**
	 * The masters whose workers can be one of {@code master}'s: {@code master} first, then the other watched masters
	 * when a name on several is one worker.
	 */
	List<String> masters(String master) {
		List<String> masters = new ArrayList<>(List.of(master));
		if (this.sameWorkerAcrossMasters) {
			this.fleet.masterNames().stream().filter((m) -> !m.equals(master)).forEach(masters::add);
		}
		return masters;
	}

	/**
	 * The latest "back by" date, not past, that each worker's owner gave, as the end of that day (UTC), with who gave
	 * it, by worker name: here, or on another master that has the same worker, since a reply there counts here too.
	 */
	Map<String, PruningPolicy.BackBy> backByDates(String master, Instant now) {
		Map<String, PruningPolicy.BackBy> backBy = new HashMap<>();
		for (String m : masters(master)) {
			for (OwnerReply r : this.replies.findByMasterAndBackByGreaterThanEqualOrderByIdDesc(m,
					LocalDate.ofInstant(now, ZoneOffset.UTC))) {
				backBy.merge(r.getWorker(),
						new PruningPolicy.BackBy(PruningService.endOfDay(r.getBackBy()), OwnerReply.by(r.getOwnerEmail())),
						(a, b) -> b.until().isAfter(a.until()) ? b : a);
			}
		}
		return backBy;
	}

	/**
	 * The masters on which a worker is this one: {@code master} first, then the other watched masters that have a
	 * worker of that name configured, in configuration order.
	 */
	public List<String> masters(String master, String worker) {
		List<String> masters = new ArrayList<>(List.of(master));
		if (!this.sameWorkerAcrossMasters) {
			return masters;
		}
		List<String> watched = this.fleet.masterNames();
		if (watched.size() < 2) {
			return masters;
		}
		for (String other : watched) {
			if (!other.equals(master)
					&& this.fleet.worker(other, worker).map(FleetWorker::configured).orElse(false)) {
				masters.add(other);
			}
		}
		return masters;
	}

	/**
	 * Whether the owner of a proposal's worker was told of it already: another master that has the same worker has
	 * an open proposal of the same kind for it, opened before this one (a lower id). That proposal's notice went out,
	 * or goes out, and a reply to it counts here as well ({@link #masters}).
	 */
	public boolean toldOnAnotherMaster(ProposalView proposal) {
		List<String> masters = masters(proposal.master(), proposal.worker());
		return masters.stream()
			.skip(1)
			.flatMap((other) -> this.proposals.findByMasterAndWorkerOrderByIdDesc(other, proposal.worker()).stream())
			.anyMatch((p) -> p.getKind() == proposal.kind() && p.getStatus().isOpen() && p.getId() < proposal.id());
	}

	/**
	 * The same worker's proposals of the proposal's kind on the other masters that have it, in configuration order,
	 * at the same stage: waiting (proposed or snoozed) beside a waiting one, approved beside an approved one. Those a
	 * maintainer's decision on this one also takes: approve, reject or snooze a waiting one, withdraw an approved one.
	 */
	List<Proposal> twins(Proposal proposal) {
		Predicate<ProposalStatus> stage = (proposal.getStatus() == ProposalStatus.APPROVED)
				? (status) -> status == ProposalStatus.APPROVED : ProposalStatus::isDecidable;
		return masters(proposal.getMaster(), proposal.getWorker()).stream()
			.skip(1)
			.flatMap((other) -> this.proposals.findByMasterAndWorkerOrderByIdDesc(other, proposal.getWorker()).stream())
			.filter((p) -> p.getKind() == proposal.getKind() && stage.test(p.getStatus()))
			.toList();
	}

}
