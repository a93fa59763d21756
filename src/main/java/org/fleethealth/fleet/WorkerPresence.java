package org.fleethealth.fleet;

import java.time.Instant;

/**
 * A configured worker of some watched master, by name: how one worker configured on several masters (production
 * and staging) is seen across them.
 *
 * @param master the watched master's name
 * @param name the worker's name
 * @param connected whether it is connected to that master now
 * @param lastSeen the last sign of it on that master: the last poll that saw it connected (for a connected worker,
 * that master's last workers poll) or the end of its last build there, whichever is later; for one with neither
 * that the master says connected before (it reported its host: it was gone when fleet-health first looked), when
 * fleet-health first saw it there ({@code presumed}); else {@code null}
 * @param disconnectedAt when that master was seen (or heard) to drop it, for one not connected there now; or
 * {@code null}
 * @param presumed whether {@code lastSeen} is only fleet-health's first look at that master, no sign of the worker:
 * Buildbot keeps a worker's host for good, so it connected there at some time before, perhaps years ago
 */
public record WorkerPresence(String master, String name, boolean connected, Instant lastSeen, Instant disconnectedAt,
		boolean presumed) {
}
