package org.fleethealth.web;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.pruning.ProposalKind;
import org.fleethealth.pruning.ProposalView;
import org.fleethealth.pruning.PruningService;
import org.fleethealth.pruning.ReplyService;
import org.fleethealth.system.Durations;
import org.springframework.stereotype.Component;

/**
 * The approved removals as whoever edits the master configuration reads them ({@code /api/pruning/export} and the
 * "Approved removals" of {@code /pruning}): each with the worker's state now, and a caution where the worker came
 * back after the approval. Hiding the builders of a worker whose removal is approved on the same master is left out:
 * removing the worker takes its builders with it (a trial's export listed one worker four times).
 */
@Component
class ApprovedRemovals {

	private final PruningService pruning;

	private final WorkerReports reports;

	private final ReplyService replies;

	ApprovedRemovals(PruningService pruning, WorkerReports reports, ReplyService replies) {
		this.pruning = pruning;
		this.reports = reports;
		this.replies = replies;
	}

	/**
	 * One approved proposal, as exported: the proposal's fields, and two more.
	 *
	 * @param workerState the worker's state now ({@code healthy}, {@code offline}...), or {@code null} where
	 * fleet-health has no judgement of it (it left the master's configuration)
	 * @param caution set where the worker is healthy again since after the approval: removing it would take a working
	 * worker out, so check with its owner first; else {@code null}
	 * @param ownerReply the owner's latest reply where it came after the approval ("back by 2026-12-10 (...)"): the
	 * maintainers were mailed it; else {@code null}
	 */
	record Approved(@JsonUnwrapped ProposalView proposal, String workerState, String caution, String ownerReply) {
	}

	List<Approved> list() {
		List<ProposalView> approved = this.pruning.approved();
		Set<String> removed = approved.stream()
			.filter((p) -> p.kind() == ProposalKind.REMOVE_WORKER)
			.map(ApprovedRemovals::key)
			.collect(Collectors.toSet());
		return approved.stream()
			.filter((p) -> p.kind() != ProposalKind.HIDE_BUILDERS || !removed.contains(key(p)))
			.map(this::approved)
			.toList();
	}

	private Approved approved(ProposalView p) {
		WorkerReport report = this.reports.worker(p.master(), p.worker()).orElse(null);
		String reply = this.replies.latestReply(p.master(), p.worker())
			.filter((r) -> p.decidedAt() != null && r.at().isAfter(p.decidedAt()))
			.map((r) -> r.summary() + ", " + Durations.at(r.at()))
			.orElse(null);
		if (report == null) {
			return new Approved(p, null, null, reply);
		}
		return new Approved(p, report.state().label(), backSinceApproval(p, report)
				? "the worker is healthy again since " + Durations.at(report.since()) + ", after this was approved: check"
						+ " with its owner before taking it out, or withdraw the approval"
				: null, reply);
	}

	/** Healthy since after the approval: it came back. A running worker whose owner asked to retire it did not. */
	private static boolean backSinceApproval(ProposalView p, WorkerReport report) {
		return report.state() == WorkerState.HEALTHY && report.since() != null && p.decidedAt() != null
				&& report.since().isAfter(p.decidedAt());
	}

	private static String key(ProposalView p) {
		return p.master() + "\n" + p.worker();
	}

}
