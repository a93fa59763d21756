package org.fleethealth.buildbot;

import java.time.Instant;

import org.fleethealth.source.SourceException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the readers that turn Buildbot data API answers into source records share ({@link WorkerJson},
 * {@link BuilderJson}, {@link BuildJson}, {@link StepJson}, {@link BuildRequestJson}, {@link MasterJson}). Lenient
 * where Buildbot versions differ (missing optional fields, {@code got_revision} as a string or a per-codebase
 * object), strict where an answer is not an answer at all (not JSON, no list): that raises a
 * {@link SourceException} so nothing is stored from it.
 */
final class JsonFields {

	private static final ObjectMapper mapper = JsonMapper.builder().build();

	private JsonFields() {
	}

	/**
	 * A worker or builder list cut off by our own {@code limit} would make the missing ones look unconfigured: refuse
	 * it, and say which setting to raise. Cut off means as long as the limit: {@code meta.total} alone cannot tell,
	 * since Buildbot 4.x can answer a total larger than a complete list (CPython's master does). A list as long as the
	 * limit is complete only when {@code meta.total} says so.
	 */
	static void requireComplete(JsonNode root, JsonNode list, int limit, String field, String what) {
		if (list.size() < limit) {
			return;
		}
		Long total = longValue(root.path("meta").path("total"));
		if (total != null && total == list.size()) {
			return;
		}
		throw new SourceException(what + " listed " + list.size() + ((total != null) ? " of " + total : "") + " "
				+ field + ", as many as the limit sent: raise fleet-health.buildbot.max-list-size above "
				+ ((total != null && total > limit) ? total : limit));
	}

	static JsonNode list(String body, String field, String what) {
		return list(parse(body, what), field, what);
	}

	static JsonNode parse(String body, String what) {
		try {
			return mapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw new SourceException("Malformed JSON from " + what + ": " + ex.getOriginalMessage(), ex);
		}
	}

	static JsonNode list(JsonNode root, String field, String what) {
		JsonNode list = (root != null) ? root.path(field) : null;
		if (list == null || !list.isArray()) {
			throw new SourceException(
					"Unexpected answer from " + what + ": no '" + field + "' list in " + abbreviate(root));
		}
		return list;
	}

	static Long longValue(JsonNode node) {
		if (node == null || !node.isNumber()) {
			return null;
		}
		return node.isIntegralNumber() ? node.longValue() : (long) node.doubleValue();
	}

	static Instant instant(JsonNode node) {
		if (node == null || !node.isNumber()) {
			return null;
		}
		return Instant.ofEpochMilli(Math.round(node.doubleValue() * 1000));
	}

	static String text(JsonNode node) {
		if (node == null || !node.isString()) {
			return null;
		}
		String s = node.stringValue().trim();
		return s.isEmpty() ? null : s;
	}

	static String abbreviate(JsonNode node) {
		String s = String.valueOf(node);
		return (s.length() > 200) ? s.substring(0, 200) + "..." : s;
	}

}
