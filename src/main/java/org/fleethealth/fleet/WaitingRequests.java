package org.fleethealth.fleet;

import java.time.Instant;

import org.fleethealth.fleet.internal.Build;

/**
 * Build requests waiting for a worker on one builder, as the last workers poll read them.
 *
 * @param builderId the master's builder id
 * @param waiting how many wait (among the oldest a poll reads, {@code poll.max-waiting-requests})
 * @param oldestSubmittedAt when the oldest of them was submitted
 */
public record WaitingRequests(long builderId, int waiting, Instant oldestSubmittedAt) {
}
