package org.fleethealth.pruning;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** A proposal as the API, pages and mails show it. */
public record ProposalView(long id, String master, String worker, ProposalKind kind, ProposalStatus status,
		String reason, List<String> builders, String ownerName, String ownerEmail, Instant createdAt,
		Instant updatedAt, Instant decidedAt, String decidedBy, Instant snoozedUntil) {

	/**
	 * The last day (UTC) a snoozed proposal waits through, as a maintainer or owner gave it ({@code snoozedUntil} is
	 * the start of the next day); {@code null} when not snoozed.
	 */
	public LocalDate snoozedThrough() {
		return (this.snoozedUntil != null) ? LocalDate.ofInstant(this.snoozedUntil.minusNanos(1), ZoneOffset.UTC) : null;
	}

	static ProposalView of(Proposal p, String ownerName, String ownerEmail) {
		return new ProposalView(p.getId(), p.getMaster(), p.getWorker(), p.getKind(), p.getStatus(), p.getReason(),
				p.getBuilders(), ownerName, ownerEmail, p.getCreatedAt(), p.getUpdatedAt(), p.getDecidedAt(),
				p.getDecidedBy(), p.getSnoozedUntil());
	}

	/**
	 * Whether it proposes removing a worker for being a flaky host: a worker that may well be connected, whose owner
	 * is asked to fix its host rather than to bring it back.
	 */
	public boolean forFlakyHost() {
		return this.kind == ProposalKind.REMOVE_WORKER && this.reason != null
				&& this.reason.startsWith(PruningPolicy.FLAKY_HOST_REASON);
	}

}
