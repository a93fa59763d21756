package org.fleethealth.fleet;

import java.time.Instant;

/**
 * A poll of one master ended, whether it succeeded or not, so judgements can be refreshed: a silent master turns
 * its workers {@code unknown} on time. Published per master, so each reaction runs in its own transaction.
 *
 * @param master the watched master's name
 * @param kind which poll
 * @param at when it ended (the service clock)
 */
public record FleetPolled(String master, PollKind kind, Instant at) {
}
