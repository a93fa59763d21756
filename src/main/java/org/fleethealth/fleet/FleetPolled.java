package org.fleethealth.fleet;

import java.util.Set;

/** Published after a poll round, whether it succeeded or not, so judgements can be refreshed. */
public record FleetPolled(Set<String> masters, PollKind kind) {
}
