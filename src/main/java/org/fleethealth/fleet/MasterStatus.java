package org.fleethealth.fleet;

import java.time.Instant;

/**
 * How polling one master is going.
 *
 * @param name the master's configured name
 * @param url its base URL
 * @param up whether it answered and the last attempt of any kind succeeded
 * @param lastAttemptAt when a poll of it was last tried, or {@code null}
 * @param lastSuccessAt when a poll of it last succeeded, or {@code null}
 * @param workersPolledAt its last successful workers poll (what it last said about connections), or {@code null}
 * @param buildsPolledAt its last successful builds poll, or {@code null}
 * @param lastError the last poll error, written for people, or {@code null}
 * @param lastErrorKind the kind of poll that failed last ({@code workers}, {@code builders}, {@code builds},
 * {@code steps}), or {@code null}
 * @param lastErrorAt when, or {@code null}
 * @param consecutiveFailures failed polls of any kind in a row
 * @param nextAttemptAt when the poll that failed last is tried again, or {@code null}
 * @param buildCursor the highest build id stored, {@code null} before the first backfill
 */
public record MasterStatus(String name, String url, boolean up, Instant lastAttemptAt, Instant lastSuccessAt,
		Instant workersPolledAt, Instant buildsPolledAt, String lastError, String lastErrorKind, Instant lastErrorAt,
		int consecutiveFailures, Instant nextAttemptAt, Long buildCursor) {
}
