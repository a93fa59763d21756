package org.fleethealth.buildbot;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.source.SourceWorker;
import tools.jackson.databind.JsonNode;

import static org.fleethealth.buildbot.JsonFields.abbreviate;
import static org.fleethealth.buildbot.JsonFields.each;
import static org.fleethealth.buildbot.JsonFields.longValue;
import static org.fleethealth.buildbot.JsonFields.text;

/** Reads Buildbot's workers: the REST list and one worker object, which the WebSocket sends too. */
final class WorkerJson {

	private static final Log logger = LogFactory.getLog(WorkerJson.class);

	private WorkerJson() {
	}

	/**
	 * The workers of a list answer.
	 *
	 * @param limit the {@code limit} the request sent, to tell a list cut off by it
	 */
	static List<SourceWorker> workers(String body, String what, int limit) {
		return each(body, "workers", what, (node) -> worker(node, what)).requireComplete(limit, "workers", what).items();
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

}
