package org.fleethealth.fleet;

import java.time.Instant;

/**
 * A configured worker of some watched master, by name: how one worker configured on several masters (production
 * and staging) is seen across them.
 *
 * @param master the watched master's name
 * @param name the worker's name
 * @param connected whether it is connected to that master now
 * @param lastSeen the last poll of that master that saw it connected (for a connected worker, that master's last
 * workers poll); for one it never saw connected but that says it connected before, when fleet-health first saw it
 * there; else {@code null}
 * @param disconnectedAt when that master was seen (or heard) to drop it, for one not connected there now; or
 * {@code null}
 */
public record WorkerPresence(String master, String name, boolean connected, Instant lastSeen, Instant disconnectedAt) {
}
