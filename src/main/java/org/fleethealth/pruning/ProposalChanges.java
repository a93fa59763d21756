package org.fleethealth.pruning;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.system.FreeText;

/**
 * What a round of {@link PruningService} does to the stored proposals: carries out the policy's decisions on one
 * worker (open, withdraw, reopen) and withdraws the open proposals of workers that left the fleet. Runs in the
 * service's transaction.
 */
final class ProposalChanges {

	private static final Log logger = LogFactory.getLog(ProposalChanges.class);

	/** The {@code builders} column's bound (V2). */
	private static final int MAX_BUILDERS = 4000;

	private final Proposals proposals;

	private final FleetQueries fleet;

	ProposalChanges(Proposals proposals, FleetQueries fleet) {
		this.proposals = proposals;
		this.fleet = fleet;
	}

	/**
	 * A worker that left its master's configuration (removed, or renamed: the new name is a new worker) has left the
	 * fleet: its open proposals are withdrawn. Its history stays.
	 */
	void withdrawForDeparted(String master, List<WorkerReport> reports, Map<String, List<Proposal>> byWorker,
			Instant now) {
		Set<String> present = new HashSet<>();
		reports.forEach((r) -> present.add(r.name()));
		byWorker.forEach((worker, proposals) -> {
			List<Proposal> open = proposals.stream().filter((p) -> p.getStatus().isOpen()).toList();
			if (open.isEmpty() || present.contains(worker)) {
				return;
			}
			boolean departed = this.fleet.worker(master, worker).map((w) -> !w.configured()).orElse(true);
			if (departed) {
				open.forEach((p) -> {
					p.withdraw(now);
					logger.info("Withdrew the " + p.getKind() + " proposal for '" + worker + "': it left the"
							+ " configuration of master '" + master + "'");
				});
			}
		});
	}

	/** Builder names as a proposal stores them: one per line, within the column's bound (V2), then "... and N more". */
	static List<String> fitBuilders(List<String> builders) {
		if (builders.isEmpty()) {
			return List.of();
		}
		List<String> lines = builders.stream().map(FreeText::oneLine).toList();
		return List.of(FreeText.join(lines, "\n", MAX_BUILDERS).split("\n"));
	}

	/**
	 * When a maintainer's snooze until {@code until} ends: the end of that day (UTC).
	 *
	 * @throws IllegalArgumentException {@code until} is missing, not in the future, or more than a year ahead
	 */
	static Instant snoozeEnd(LocalDate until, Instant now) {
		LocalDate latest = LocalDate.ofInstant(now, ZoneOffset.UTC).plusYears(1);
		if (until != null && until.isAfter(latest)) {
			// As an owner's "back by": a year at most. Further is a typo, or a no that should be a rejection.
			throw new IllegalArgumentException("Snooze until a date within a year (" + latest + " at the latest), got "
					+ until + "; reject the proposal to stop it being asked");
		}
		if (until == null || !PruningService.endOfDay(until).isAfter(now)) {
			throw new IllegalArgumentException("Snooze needs a date in the future, got " + until);
		}
		return PruningService.endOfDay(until);
	}

	/** Carries out one decision of the policy on a worker's proposals; the proposal it changed or opened. */
	Proposal apply(String master, WorkerReport report, List<Proposal> existing, PruningPolicy.Decision decision,
			Instant now) {
		switch (decision.action()) {
			case PROPOSE -> {
				Proposal proposal = new Proposal(master, report.name(), decision.kind(), decision.reason(),
						fitBuilders(this.fleet.builderNames(master, report.name())), now);
				if (decision.snoozeUntil() != null) {
					proposal.snooze(decision.snoozeUntil(), decision.snoozedBy(), now);
				}
				logger.info("Proposed to " + decision.kind() + " '" + report.name() + "' of master '" + master + "': "
						+ decision.reason());
				return this.proposals.save(proposal);
			}
			case WITHDRAW -> {
				Proposal open = open(existing, decision.kind());
				open.withdraw(now);
				logger.info("Withdrew the " + decision.kind() + " proposal for '" + report.name() + "': "
						+ decision.reason());
				return open;
			}
			case REOPEN -> {
				Proposal open = open(existing, decision.kind());
				open.reopen(now);
				return open;
			}
			default -> throw new IllegalStateException(decision.action().name());
		}
	}

	private static Proposal open(List<Proposal> existing, ProposalKind kind) {
		return existing.stream().filter((p) -> p.getKind() == kind && p.getStatus().isOpen()).findFirst().orElseThrow();
	}

	/**
	 * A worker's approved removal replaces its waiting hide-builders proposal at once (the next round did it, and a
	 * maintainer saw both open in between): a maintainer is not asked both.
	 */
	void withdrawHiding(Proposal removal, Instant now) {
		if (removal.getKind() != ProposalKind.REMOVE_WORKER || removal.getStatus() != ProposalStatus.APPROVED) {
			return;
		}
		this.proposals.findByMasterAndWorkerOrderByIdDesc(removal.getMaster(), removal.getWorker())
			.stream()
			.filter((p) -> p.getKind() == ProposalKind.HIDE_BUILDERS && p.getStatus().isDecidable())
			.forEach((p) -> p.withdraw(now));
	}

}
