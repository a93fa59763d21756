package org.fleethealth.fleet;

import java.time.Instant;

/**
 * One build as polled, with its first failing step once its steps were read.
 *
 * @param master the watched master's name
 * @param buildbotId the master's build id
 * @param number its number within its builder
 * @param builderBuildbotId the master's id of its builder
 * @param workerBuildbotId the master's id of its worker, or {@code null}
 * @param startedAt when it started
 * @param completeAt when it finished, or {@code null} while running
 * @param complete whether it finished
 * @param results Buildbot's result code ({@code source.BuildResult}), or {@code null} while running
 * @param revision the revision built, or {@code null}
 * @param stateString the master's one-line summary, or {@code null}
 * @param failingStep its first failing step once the steps were read, or {@code null}
 * @param branch its {@code branch} property, or {@code null}
 */
public record FleetBuild(String master, long buildbotId, int number, long builderBuildbotId, Long workerBuildbotId,
		Instant startedAt, Instant completeAt, boolean complete, Integer results, String revision, String stateString,
		String failingStep, String branch) {
}
