package org.fleethealth.quarantine;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.fleethealth.quarantine.internal.QuarantineEvent;

/**
 * One step in a worker's quarantine history, newest first: {@code proposed}, {@code refused}, {@code rejected},
 * {@code withdrawn}, {@code paused}, {@code pause-confirmed}, {@code no-access}, {@code pause-failed},
 * {@code released}, {@code probation-passed}, {@code probation-failed}, {@code unpaused-elsewhere}.
 *
 * @param quarantine the quarantine's number
 * @param by who did it: a maintainer's user name, {@code "<email> (owner reply)"}, or {@code "fleet-health"}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuarantineEventView(long quarantine, String kind, Instant at, String by, String detail) {

	static QuarantineEventView of(QuarantineEvent e) {
		return new QuarantineEventView(e.getQuarantineId(), e.getKind(), e.getAt(), e.getByWhom(), e.getDetail());
	}

}
