package org.fleethealth.fleet;

import java.time.Instant;

/**
 * How one kind of poll of a master is doing.
 *
 * @param kind the kind of poll
 * @param lastAttemptAt when it was last tried, {@code null} if never
 * @param lastSuccessAt when it last succeeded, {@code null} if never
 * @param consecutiveFailures its failures since it last succeeded
 * @param nextAttemptAt while it backs off, when it is tried next; {@code null} otherwise
 */
public record PollKindState(PollKind kind, Instant lastAttemptAt, Instant lastSuccessAt, int consecutiveFailures,
		Instant nextAttemptAt) {
}
