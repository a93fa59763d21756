package org.fleethealth.fleet;

import java.time.Instant;

/**
 * A master's live event stream changed what is stored about its workers (connects, disconnects, pauses), between
 * two polls. Published once per batch of events heard together, so judgements follow within moments.
 *
 * @param master the watched master's name
 * @param at when the batch was stored (the service clock)
 * @param changes how many connects, disconnects, pauses and unpauses the batch recorded
 */
public record FleetHeard(String master, Instant at, int changes) {
}
