package org.fleethealth.source;

import java.time.Instant;

/**
 * One Buildbot master process as the data API lists it ({@code /api/v2/masters}). A cluster has several; the one
 * that answers the API is not always the one the workers are connected to.
 *
 * @param id the master's id ({@code masterid}), as in a worker's {@code connected_to}
 * @param name its name (host and base directory)
 * @param active whether it is running (Buildbot marks a master inactive when it stops, or 10 minutes after it
 * stopped checking in)
 * @param lastActive its last heartbeat: Buildbot writes it when the master starts and every 60 s after, so a
 * heartbeat out of that rhythm shows a restart; {@code null} if not given
 */
public record SourceMaster(long id, String name, boolean active, Instant lastActive) {
}
