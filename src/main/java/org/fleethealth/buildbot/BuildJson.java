package org.fleethealth.buildbot;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.source.SourceBuild;
import tools.jackson.databind.JsonNode;

import static org.fleethealth.buildbot.JsonFields.abbreviate;
import static org.fleethealth.buildbot.JsonFields.instant;
import static org.fleethealth.buildbot.JsonFields.each;
import static org.fleethealth.buildbot.JsonFields.longValue;
import static org.fleethealth.buildbot.JsonFields.text;

/**
 * Reads Buildbot's builds: the REST list and one build object, which the WebSocket sends too, with the revision and
 * branch from its properties.
 */
final class BuildJson {

	private static final Log logger = LogFactory.getLog(BuildJson.class);

	private BuildJson() {
	}

	static List<SourceBuild> builds(String body, String what) {
		return each(body, "builds", what, (node) -> build(node, what)).items();
	}

	/**
	 * One build object, as the REST API lists it and the WebSocket sends it ({@code m} of a {@code builds/...} event,
	 * which has no properties: no revision, no branch); {@code null} (logged) without {@code buildid},
	 * {@code builderid} or {@code started_at}.
	 */
	static SourceBuild build(JsonNode node, String what) {
		Long id = longValue(node.path("buildid"));
		Long builderId = longValue(node.path("builderid"));
		Instant startedAt = instant(node.path("started_at"));
		if (id == null || builderId == null || startedAt == null) {
			logger.warn("Skipping a build without buildid, builderid or started_at in " + what + ": "
					+ abbreviate(node));
			return null;
		}
		Long number = longValue(node.path("number"));
		Long results = longValue(node.path("results"));
		boolean complete = node.path("complete").asBoolean(false);
		return new SourceBuild(id, (number != null) ? number.intValue() : 0, builderId,
				longValue(node.path("workerid")), startedAt, instant(node.path("complete_at")), complete,
				(results != null) ? results.intValue() : null, revision(node.path("properties")),
				text(node.path("state_string")), branch(node.path("properties")));
	}

	/**
	 * {@code got_revision} is {@code [value, source]}; the value is a string, or an object keyed by codebase
	 * when a build has several codebases (joined as {@code codebase=rev,...} in codebase order).
	 */
	static String revision(JsonNode properties) {
		JsonNode property = properties.path("got_revision");
		JsonNode value = property.isArray() ? property.path(0) : property;
		if (value.isString()) {
			return value.stringValue().isBlank() ? null : value.stringValue();
		}
		if (value.isObject()) {
			Map<String, String> byCodebase = new TreeMap<>();
			for (Map.Entry<String, JsonNode> entry : value.properties()) {
				String rev = text(entry.getValue());
				if (rev != null) {
					byCodebase.put(entry.getKey(), rev);
				}
			}
			if (byCodebase.isEmpty()) {
				return null;
			}
			if (byCodebase.size() == 1) {
				return byCodebase.values().iterator().next();
			}
			StringBuilder joined = new StringBuilder();
			byCodebase.forEach((codebase, rev) -> joined.append(joined.isEmpty() ? "" : ",")
				.append(codebase)
				.append('=')
				.append(rev));
			return joined.toString();
		}
		return null;
	}

	/** The {@code branch} property ({@code [value, source]}), or {@code null}. */
	static String branch(JsonNode properties) {
		JsonNode property = properties.path("branch");
		return text(property.isArray() ? property.path(0) : property);
	}

}
