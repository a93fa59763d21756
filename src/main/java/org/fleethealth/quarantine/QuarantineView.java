package org.fleethealth.quarantine;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.fleethealth.quarantine.internal.Quarantine;

/**
 * A quarantine as the API, pages and mails show it.
 *
 * @param id its number
 * @param master the watched master's name
 * @param worker the worker's name
 * @param status where it is ({@link QuarantineStatus})
 * @param flakySince since when the worker was {@code flaky-host} when it was proposed
 * @param evidence the classification's evidence then, one finding per line
 * @param takeover the builders its peers would take over while it is paused: {@code "builder: worker, worker"},
 * or {@code "builder: nobody else"}
 * @param owner the owner as configured or reported ({@code "Name <email>"}), or {@code null}
 * @param refusal the safety valve's refusal ({@code code-break}, {@code stable-builder}, {@code class-share},
 * {@code master-share}), or {@code null}
 * @param note what happened last, in words (the refusal, missing write access, a failed pause), or {@code null}
 * @param pauseReason the reason sent with the pause (Buildbot 4.x shows it), or {@code null}
 * @param decidedBy who approved or rejected it ({@code "fleet-health (auto)"} when automatic), or {@code null}
 * @param pausedAt when the master accepted the pause, or {@code null}
 * @param pauseConfirmedAt when a workers poll first showed it paused ({@code paused: true}), or {@code null}
 * @param releasedAt when it was unpaused again, or {@code null}
 * @param releasedBy who released it (a maintainer, or {@code "<email> (owner reply)"}), or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuarantineView(long id, String master, String worker, QuarantineStatus status, Instant flakySince,
		List<String> evidence, List<String> takeover, String owner, Refusal refusal, String note, String pauseReason,
		Instant createdAt, Instant updatedAt, String decidedBy, Instant decidedAt, Instant pausedAt,
		Instant pauseConfirmedAt, Instant releasedAt, String releasedBy) {

	static QuarantineView of(Quarantine q) {
		return new QuarantineView(q.getId(), q.getMaster(), q.getWorker(), q.getStatus(), q.getFlakySince(),
				List.of(q.getEvidence().split("\n")), q.getTakeover(), q.getOwner(), q.getRefusal(), q.getNote(),
				q.getPauseReason(), q.getCreatedAt(), q.getUpdatedAt(), q.getDecidedBy(), q.getDecidedAt(),
				q.getPausedAt(), q.getPauseConfirmedAt(), q.getReleasedAt(), q.getReleasedBy());
	}

}
