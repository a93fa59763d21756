package org.fleethealth.buildbot;

import java.time.Instant;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.source.SourceBuildRequest;

import static org.fleethealth.buildbot.JsonFields.abbreviate;
import static org.fleethealth.buildbot.JsonFields.instant;
import static org.fleethealth.buildbot.JsonFields.each;
import static org.fleethealth.buildbot.JsonFields.longValue;

/** Reads Buildbot's build requests: which builder each is for and when it was submitted. */
final class BuildRequestJson {

	private static final Log logger = LogFactory.getLog(BuildRequestJson.class);

	private BuildRequestJson() {
	}

	static List<SourceBuildRequest> buildRequests(String body, String what) {
		return each(body, "buildrequests", what, (node) -> {
			Long id = longValue(node.path("buildrequestid"));
			Long builderId = longValue(node.path("builderid"));
			Instant submittedAt = instant(node.path("submitted_at"));
			if (id == null || builderId == null || submittedAt == null) {
				logger.warn("Skipping a build request without buildrequestid, builderid or submitted_at in " + what
						+ ": " + abbreviate(node));
				return null;
			}
			return new SourceBuildRequest(id, builderId, submittedAt);
		}).items();
	}

}
