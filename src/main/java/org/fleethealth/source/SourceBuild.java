package org.fleethealth.source;

import java.time.Instant;

/**
 * A build as its master reports it.
 *
 * @param id the master's build id (monotonic, the polling cursor)
 * @param number the build number within its builder
 * @param builderId the builder's id
 * @param workerId the worker's id, or {@code null} if not yet assigned
 * @param startedAt when it started
 * @param completeAt when it finished, or {@code null} while running
 * @param complete whether it finished
 * @param results Buildbot's result code ({@link BuildResult}), or {@code null} while running
 * @param revision the built revision ({@code got_revision}; codebases joined), or {@code null}
 * @param stateString the master's one-line summary (Buildbot 3.7 writes {@code cancelled (Master Shutdown)} for
 * a build its master ended by stopping)
 * @param branch the build's {@code branch} property (the branch its source stamp came from), or {@code null}
 */
public record SourceBuild(long id, int number, long builderId, Long workerId, Instant startedAt, Instant completeAt,
		boolean complete, Integer results, String revision, String stateString, String branch) {

	/** A build without a known branch. */
	public SourceBuild(long id, int number, long builderId, Long workerId, Instant startedAt, Instant completeAt,
			boolean complete, Integer results, String revision, String stateString) {
		this(id, number, builderId, workerId, startedAt, completeAt, complete, results, revision, stateString, null);
	}

}
