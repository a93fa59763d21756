package org.fleethealth.fleet;

import java.time.Instant;

/**
 * What classification needs of one stored build.
 *
 * @param id the master's build id
 * @param number the build number within its builder
 * @param builderId the master's builder id
 * @param workerId the master's worker id, or {@code null}
 * @param startedAt when it started
 * @param completeAt when it finished, or {@code null} while running
 * @param complete whether it finished
 * @param results Buildbot's result code, or {@code null} while running
 * @param revision the revision built, or {@code null}
 * @param failingStep the first failing step once the steps were read, or {@code null}
 * @param branch the build's {@code branch} property, or {@code null}
 * @param stateString the master's one-line summary of the build, or {@code null}
 * @param stepsFetched whether its failing step is known (read, or never needed): a failed build whose steps are
 * still to be read cannot be judged yet
 */
public record BuildSummary(long id, int number, long builderId, Long workerId, Instant startedAt, Instant completeAt,
		boolean complete, Integer results, String revision, String failingStep, String branch, String stateString,
		boolean stepsFetched) {

}
