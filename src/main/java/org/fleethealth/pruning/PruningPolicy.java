package org.fleethealth.pruning;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;
import org.fleethealth.system.Durations;

/**
 * Decides, for one worker, which proposals to open, withdraw or wake up. Plain Java: the worker's report,
 * its proposals and "now" in, decisions out. A worker whose master is silent ({@code unknown}) is left alone.
 */
class PruningPolicy {

	/** How the reason of a proposal to remove a flaky host starts ({@link ProposalView#forFlakyHost}). */
	static final String FLAKY_HOST_REASON = "flaky host for ";


	private final PruningProperties properties;

	PruningPolicy(PruningProperties properties) {
		this.properties = properties;
	}

	/**
	 * What to do with one proposal kind of one worker.
	 *
	 * @param snoozeUntil a new proposal starts snoozed until then (its owner's "back by"), or {@code null}
	 * @param snoozedBy who snoozed it, as decisions name people ({@link OwnerReply#by}), with {@code snoozeUntil}
	 */
	record Decision(ProposalKind kind, Action action, String reason, Instant snoozeUntil, String snoozedBy) {

		Decision(ProposalKind kind, Action action, String reason) {
			this(kind, action, reason, null, null);
		}

	}

	/**
	 * An owner's "back by" that is not past: the end of the day given (UTC), and who gave it ({@link OwnerReply#by}).
	 */
	record BackBy(Instant until, String by) {
	}

	enum Action {

		PROPOSE, WITHDRAW, REOPEN

	}

	/**
	 * Whether {@link #decide} can decide anything for the worker: only for one offline or flaky-host, or with a
	 * proposal of its own. A round passes over the rest (most of a fleet) without looking at them.
	 */
	static boolean inPlay(WorkerReport report, List<Proposal> proposals) {
		return !proposals.isEmpty() || report.state() == WorkerState.OFFLINE
				|| report.state() == WorkerState.FLAKY_HOST;
	}

	/**
	 * @param report the worker as just classified
	 * @param proposals its proposals, newest first
	 * @param backBy the latest "back by" its owner gave that is not past, or {@code null}
	 * @param now the time
	 */
	List<Decision> decide(WorkerReport report, List<Proposal> proposals, BackBy backBy, Instant now) {
		boolean awayByReply = backBy != null && backBy.until().isAfter(now);
		List<Decision> decisions = new ArrayList<>();
		if (report.state() == WorkerState.UNKNOWN) {
			return decisions;
		}
		Duration inState = Duration.between(report.since(), now);
		boolean offline = report.state() == WorkerState.OFFLINE;
		boolean flaky = report.state() == WorkerState.FLAKY_HOST;
		Map<ProposalKind, String> wanted = new java.util.EnumMap<>(ProposalKind.class);
		if (offline && inState.compareTo(this.properties.hideBuildersAfter()) >= 0) {
			wanted.put(ProposalKind.HIDE_BUILDERS, "offline for " + days(inState) + " (since " + report.since().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
					+ "; hide-builders-after " + days(this.properties.hideBuildersAfter()) + ")");
		}
		if (offline && inState.compareTo(this.properties.removeAfter()) >= 0) {
			wanted.put(ProposalKind.REMOVE_WORKER, "offline for " + days(inState) + " (since " + report.since().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
					+ "; remove-after " + days(this.properties.removeAfter()) + ")");
		}
		if (flaky && inState.compareTo(this.properties.flakyRemoveAfter()) >= 0) {
			wanted.put(ProposalKind.REMOVE_WORKER, FLAKY_HOST_REASON + days(inState) + " (since " + report.since().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
					+ "; flaky-remove-after " + days(this.properties.flakyRemoveAfter()) + ")");
		}
		boolean removing = removalApproved(proposals);
		if (removing) {
			wanted.remove(ProposalKind.HIDE_BUILDERS);
		}
		for (ProposalKind kind : ProposalKind.values()) {
			Proposal open = proposals.stream()
				.filter((p) -> p.getKind() == kind && p.getStatus().isOpen())
				.findFirst()
				.orElse(null);
			String reason = wanted.get(kind);
			if (open == null) {
				if (reason != null && !rejectedThisEpisode(proposals, kind, report)) {
					String evidence = report.evidence().isEmpty() ? "" : ": " + report.evidence().get(0);
					decisions.add(awayByReply
							? new Decision(kind, Action.PROPOSE, reason + evidence, backBy.until(), backBy.by())
							: new Decision(kind, Action.PROPOSE, reason + evidence));
				}
				continue;
			}
			boolean waiting = open.getStatus() == ProposalStatus.PROPOSED || open.getStatus() == ProposalStatus.SNOOZED;
			if (waiting && recovered(kind, report)) {
				decisions.add(new Decision(kind, Action.WITHDRAW, "worker is " + report.state()));
			}
			else if (waiting && removing && kind == ProposalKind.HIDE_BUILDERS) {
				decisions.add(new Decision(kind, Action.WITHDRAW, "its removal was approved"));
			}
			else if (open.getStatus() == ProposalStatus.SNOOZED && open.getSnoozedUntil() != null
					&& !open.getSnoozedUntil().isAfter(now) && reason != null
					&& !awayByReply) {
				decisions.add(new Decision(kind, Action.REOPEN, "snooze ended " + open.getSnoozedUntil()));
			}
		}
		return decisions;
	}

	/**
	 * A maintainer (or its owner, "retire it") approved removing the worker: taking its builders off the waterfall
	 * is then no longer a question of its own, and a maintainer would otherwise be asked both.
	 */
	private static boolean removalApproved(List<Proposal> proposals) {
		return proposals.stream()
			.anyMatch((p) -> p.getKind() == ProposalKind.REMOVE_WORKER && p.getStatus() == ProposalStatus.APPROVED);
	}

	/** A maintainer said no to this kind during the current episode: do not ask again until it changes. */
	private static boolean rejectedThisEpisode(List<Proposal> proposals, ProposalKind kind, WorkerReport report) {
		return proposals.stream()
			.anyMatch((p) -> p.getKind() == kind && p.getStatus() == ProposalStatus.REJECTED
					&& !p.getCreatedAt().isBefore(report.since()));
	}

	private static boolean recovered(ProposalKind kind, WorkerReport report) {
		if (kind == ProposalKind.HIDE_BUILDERS) {
			return report.state() != WorkerState.OFFLINE;
		}
		return report.state() != WorkerState.OFFLINE && report.state() != WorkerState.FLAKY_HOST;
	}

	private static String days(Duration d) {
		return Durations.human(d);
	}

}
