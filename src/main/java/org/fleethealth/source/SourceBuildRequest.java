package org.fleethealth.source;

import java.time.Instant;

/**
 * A build request that waits for a worker: not claimed by any worker yet, not complete ({@code buildrequests}).
 *
 * @param id the master's build request id
 * @param builderId the builder it waits on
 * @param submittedAt when it was submitted
 */
public record SourceBuildRequest(long id, long builderId, Instant submittedAt) {
}
