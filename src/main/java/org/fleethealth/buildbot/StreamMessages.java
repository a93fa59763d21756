package org.fleethealth.buildbot;

import java.time.Instant;
import java.util.function.BiConsumer;

import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceStreamListener;
import org.fleethealth.source.SourceWorker;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one text message on a Buildbot master's WebSocket says. Buildbot sends two kinds: events,
 * {@code {"k": "workers/7/connected", "m": {...}}}, whose {@code m} is the same resource the REST API answers (read
 * by {@link WorkerJson} and {@link BuildJson}), and answers to commands,
 * {@code {"_id": 1, "code": 200, "msg": "OK"}} (or {@code "pong"}, or an {@code error}). Anything else, and events
 * fleet-health does not read, come back as {@link Skipped} with the kind under which the stream logs them once.
 */
final class StreamMessages {

	private static final ObjectMapper mapper = JsonMapper.builder().build();

	private StreamMessages() {
	}

	/** One message read. */
	sealed interface Message permits Event, Reply, Skipped {

	}

	/**
	 * A worker's {@code connected}, {@code disconnected} or {@code state_updated}, or a build's {@code new} or
	 * {@code finished}.
	 *
	 * @param kind the event's collection and change, as {@code workers/connected}
	 * @param call the listener call it makes, given the instant it was heard
	 */
	record Event(String kind, BiConsumer<SourceStreamListener, Instant> call) implements Message {

	}

	/** An answer to the command sent with {@code _id}: its {@code msg}, or its {@code error} when it has one. */
	record Reply(long id, String msg, JsonNode error, JsonNode code) implements Message {

		boolean failed() {
			return this.error != null;
		}

	}

	/**
	 * A message not read.
	 *
	 * @param kind what it is logged once under; {@code null} for events known and not needed (not logged)
	 * @param why the log line's words
	 */
	record Skipped(String kind, String why) implements Message {

	}

	/**
	 * Reads one whole text message.
	 *
	 * @param master the master's name, for the evidence of a worker or build that does not parse
	 */
	static Message read(CharSequence message, String master) {
		JsonNode node;
		try {
			node = mapper.readTree(message.toString());
		}
		catch (JacksonException ex) {
			return new Skipped("malformed", "skipped a message that is not JSON: " + abbreviate(message));
		}
		if (node == null || !node.isObject()) {
			return new Skipped("not-an-object", "skipped a message that is not a JSON object: " + abbreviate(message));
		}
		JsonNode key = node.path("k");
		if (key.isString()) {
			return event(key.stringValue(), node.path("m"), message, master);
		}
		if (node.path("_id").isIntegralNumber()) {
			String msg = node.path("msg").isString() ? node.path("msg").stringValue() : "";
			return new Reply(node.path("_id").longValue(), msg, node.has("error") ? node.path("error") : null,
					node.path("code"));
		}
		if (node.has("error")) {
			return new Skipped("error", "the master answered an error: " + abbreviate(message));
		}
		return new Skipped("unknown-message",
				"skipped a message that is neither an event nor an answer: " + abbreviate(message));
	}

	private static Message event(String key, JsonNode payload, CharSequence message, String master) {
		String[] parts = key.split("/", -1);
		if (parts.length != 3) {
			return new Skipped("key:" + parts[0] + "/" + parts.length, "skipped an event with an unexpected key: " + key);
		}
		String kind = parts[0] + "/" + parts[2];
		String what = "master '" + master + "' (WebSocket event " + key + ")";
		return switch (kind) {
			case "workers/connected", "workers/disconnected", "workers/state_updated" -> {
				SourceWorker worker = (payload.path("workerid").isNumber() && payload.path("name").isString())
						? WorkerJson.worker(payload, what) : null;
				if (worker == null) {
					yield new Skipped("invalid:" + kind, "skipped a '" + kind
							+ "' event without a worker (workerid, name): " + abbreviate(message));
				}
				yield new Event(kind, switch (parts[2]) {
					case "connected" -> (listener, at) -> listener.workerConnected(worker, at);
					case "disconnected" -> (listener, at) -> listener.workerDisconnected(worker, at);
					default -> (listener, at) -> listener.workerStateUpdated(worker, at);
				});
			}
			case "builds/new", "builds/finished" -> {
				SourceBuild build = (payload.path("buildid").isNumber() && payload.path("builderid").isNumber()
						&& payload.path("started_at").isNumber()) ? BuildJson.build(payload, what) : null;
				if (build == null) {
					yield new Skipped("invalid:" + kind, "skipped a '" + kind
							+ "' event without a build (buildid, builderid, started_at): " + abbreviate(message));
				}
				yield new Event(kind, parts[2].equals("new") ? (listener, at) -> listener.buildStarted(build, at)
						: (listener, at) -> listener.buildFinished(build, at));
			}
			// Known and not needed: a missing worker was reported when it disconnected; an update is a new state
			// string of a running build (about six a build).
			case "workers/missing", "builds/update" -> new Skipped(null, kind);
			default -> new Skipped("event:" + kind, "skipped '" + kind + "' events, which fleet-health does not read");
		};
	}

	/** The first 200 characters, for a log line. */
	static String abbreviate(CharSequence s) {
		return (s.length() > 200) ? s.subSequence(0, 200) + "..." : s.toString();
	}

}
