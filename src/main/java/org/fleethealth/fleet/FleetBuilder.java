package org.fleethealth.fleet;

import java.time.Instant;
import java.util.List;

/**
 * A builder of a master as polled.
 *
 * @param master the watched master's name
 * @param buildbotId the master's id of it
 * @param name its name
 * @param tags its tags: build classes, branch, stability, tier
 * @param description its description, or {@code null}
 * @param current whether some worker is configured on it (Buildbot keeps old builders listed)
 * @param lastBuildFinishedAt when it last finished a build, as far as stored builds tell, or {@code null}
 * @param lastDecisiveBuildId the master's id of its newest finished build that says something about the code
 * (success, warnings, failure, exception), or {@code null}
 */
public record FleetBuilder(String master, long buildbotId, String name, List<String> tags, String description,
		boolean current, Instant lastBuildFinishedAt, Long lastDecisiveBuildId) {

	public FleetBuilder {
		tags = List.copyOf(tags);
	}

}
