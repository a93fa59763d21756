package org.fleethealth.buildbot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuildRequest;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceException;
import org.fleethealth.source.SourceMaster;
import org.fleethealth.source.SourceStep;
import org.fleethealth.source.SourceWorker;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns Buildbot data API answers into source records. Lenient where Buildbot versions differ (missing
 * optional fields, {@code got_revision} as a string or a per-codebase object), strict where an answer is not
 * an answer at all (not JSON, no list): that raises a {@link SourceException} so nothing is stored from it.
 */
final class BuildbotJson {

	private static final Log logger = LogFactory.getLog(BuildbotJson.class);

	private static final ObjectMapper mapper = JsonMapper.builder().build();

	private BuildbotJson() {
	}

	/** A JSON-RPC 2.0 call to a worker ({@code pause}, {@code unpause}) with its reason. */
	static String rpc(String method, String reason) {
		var call = mapper.createObjectNode();
		call.put("jsonrpc", "2.0");
		call.put("method", method);
		call.putObject("params").put("reason", (reason != null) ? reason : "");
		call.put("id", 1);
		return mapper.writeValueAsString(call);
	}

	/** The message of a JSON-RPC error answer, or {@code null} when it is none (or not JSON). */
	static String rpcError(String body) {
		if (body == null || body.isBlank()) {
			return null;
		}
		try {
			JsonNode error = mapper.readTree(body).path("error");
			if (error.isMissingNode() || error.isNull()) {
				return null;
			}
			String message = error.path("message").asString("");
			return message.isEmpty() ? error.toString() : message;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * The workers of a list answer.
	 *
	 * @param limit the {@code limit} the request sent, to tell a list cut off by it
	 */
	static List<SourceWorker> workers(String body, String what, int limit) {
		List<SourceWorker> workers = new ArrayList<>();
		JsonNode root = parse(body, what);
		JsonNode list = list(root, "workers", what);
		requireComplete(root, list, limit, "workers", what);
		for (JsonNode node : list) {
			SourceWorker worker = worker(node, what);
			if (worker != null) {
				workers.add(worker);
			}
		}
		return workers;
	}

	/**
	 * One worker object, as the REST API lists it and the WebSocket sends it ({@code m} of a {@code workers/...}
	 * event); {@code null} (logged) without {@code workerid} or {@code name}.
	 */
	static SourceWorker worker(JsonNode node, String what) {
		Long id = longValue(node.path("workerid"));
		String name = text(node.path("name"));
		if (id == null || name == null) {
			logger.warn("Skipping a worker without workerid or name in " + what + ": " + abbreviate(node));
			return null;
		}
		Set<Long> builderIds = new LinkedHashSet<>();
		Set<Long> configuredOn = new LinkedHashSet<>();
		for (JsonNode configured : node.path("configured_on")) {
			Long builderId = longValue(configured.path("builderid"));
			if (builderId != null) {
				builderIds.add(builderId);
			}
			Long masterId = longValue(configured.path("masterid"));
			if (masterId != null) {
				configuredOn.add(masterId);
			}
		}
		boolean connected = node.path("connected_to").isArray() && !node.path("connected_to").isEmpty();
		Set<Long> connectedTo = new LinkedHashSet<>();
		for (JsonNode master : node.path("connected_to")) {
			Long masterId = longValue(master.path("masterid"));
			if (masterId != null) {
				connectedTo.add(masterId);
			}
		}
		JsonNode info = node.path("workerinfo");
		// pause_reason is Buildbot 4.x's; 3.7 says only that a worker is paused.
		return new SourceWorker(id, name, connected, builderIds, text(info.path("admin")),
				text(info.path("host")), text(info.path("version")), node.path("paused").asBoolean(false),
				text(node.path("pause_reason")), connectedTo, configuredOn);
	}

	/**
	 * The builders of a list answer.
	 *
	 * @param limit the {@code limit} the request sent, to tell a list cut off by it
	 */
	static List<SourceBuilder> builders(String body, String what, int limit) {
		List<SourceBuilder> builders = new ArrayList<>();
		JsonNode root = parse(body, what);
		JsonNode list = list(root, "builders", what);
		requireComplete(root, list, limit, "builders", what);
		for (JsonNode node : list) {
			Long id = longValue(node.path("builderid"));
			String name = text(node.path("name"));
			if (id == null || name == null) {
				logger.warn("Skipping a builder without builderid or name in " + what + ": " + abbreviate(node));
				continue;
			}
			List<String> tags = new ArrayList<>();
			for (JsonNode tag : node.path("tags")) {
				String t = text(tag);
				if (t != null) {
					tags.add(t);
				}
			}
			builders.add(new SourceBuilder(id, name, tags, text(node.path("description"))));
		}
		return builders;
	}

	static List<SourceBuild> builds(String body, String what) {
		List<SourceBuild> builds = new ArrayList<>();
		for (JsonNode node : list(body, "builds", what)) {
			SourceBuild build = build(node, what);
			if (build != null) {
				builds.add(build);
			}
		}
		return builds;
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

	static List<SourceMaster> masters(String body, String what) {
		List<SourceMaster> masters = new ArrayList<>();
		for (JsonNode node : list(body, "masters", what)) {
			Long id = longValue(node.path("masterid"));
			if (id == null) {
				logger.warn("Skipping a master without masterid in " + what + ": " + abbreviate(node));
				continue;
			}
			masters.add(new SourceMaster(id, text(node.path("name")), node.path("active").asBoolean(false),
					instant(node.path("last_active"))));
		}
		return masters;
	}

	static List<SourceBuildRequest> buildRequests(String body, String what) {
		List<SourceBuildRequest> requests = new ArrayList<>();
		for (JsonNode node : list(body, "buildrequests", what)) {
			Long id = longValue(node.path("buildrequestid"));
			Long builderId = longValue(node.path("builderid"));
			Instant submittedAt = instant(node.path("submitted_at"));
			if (id == null || builderId == null || submittedAt == null) {
				logger.warn("Skipping a build request without buildrequestid, builderid or submitted_at in " + what
						+ ": " + abbreviate(node));
				continue;
			}
			requests.add(new SourceBuildRequest(id, builderId, submittedAt));
		}
		return requests;
	}

	static List<SourceStep> steps(String body, String what) {
		List<SourceStep> steps = new ArrayList<>();
		for (JsonNode node : list(body, "steps", what)) {
			Long number = longValue(node.path("number"));
			Long results = longValue(node.path("results"));
			steps.add(new SourceStep((number != null) ? number.intValue() : steps.size(), text(node.path("name")),
					(results != null) ? results.intValue() : null, instant(node.path("complete_at"))));
		}
		return steps;
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

	/**
	 * A worker or builder list cut off by our own {@code limit} would make the missing ones look unconfigured: refuse
	 * it, and say which setting to raise. Cut off means as long as the limit: {@code meta.total} alone cannot tell,
	 * since Buildbot 4.x can answer a total larger than a complete list (CPython's master does). A list as long as the
	 * limit is complete only when {@code meta.total} says so.
	 */
	private static void requireComplete(JsonNode root, JsonNode list, int limit, String field, String what) {
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

	private static JsonNode list(String body, String field, String what) {
		return list(parse(body, what), field, what);
	}

	private static JsonNode parse(String body, String what) {
		try {
			return mapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw new SourceException("Malformed JSON from " + what + ": " + ex.getOriginalMessage(), ex);
		}
	}

	private static JsonNode list(JsonNode root, String field, String what) {
		JsonNode list = (root != null) ? root.path(field) : null;
		if (list == null || !list.isArray()) {
			throw new SourceException(
					"Unexpected answer from " + what + ": no '" + field + "' list in " + abbreviate(root));
		}
		return list;
	}

	private static Long longValue(JsonNode node) {
		if (node == null || !node.isNumber()) {
			return null;
		}
		return node.isIntegralNumber() ? node.longValue() : (long) node.doubleValue();
	}

	private static Instant instant(JsonNode node) {
		if (node == null || !node.isNumber()) {
			return null;
		}
		return Instant.ofEpochMilli(Math.round(node.doubleValue() * 1000));
	}

	private static String text(JsonNode node) {
		if (node == null || !node.isString()) {
			return null;
		}
		String s = node.stringValue().trim();
		return s.isEmpty() ? null : s;
	}

	private static String abbreviate(JsonNode node) {
		String s = String.valueOf(node);
		return (s.length() > 200) ? s.substring(0, 200) + "..." : s;
	}

}
