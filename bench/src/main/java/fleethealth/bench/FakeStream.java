package fleethealth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import fleethealth.bench.FakeBuildbot.Moment;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fake master's WebSocket ({@code /ws}), speaking Buildbot 3.7's protocol ({@code www/ws.py}):
 * {@code startConsuming} / {@code stopConsuming} of a path answered {@code {"msg":"OK","code":200,"_id":N}},
 * {@code ping} answered {@code pong}, anything else a 404 error. As the fleet's clock moves on it pushes, in time
 * order, to the clients that consume {@code builds/*}{@code /*} every build's {@code update} ("starting"), {@code new},
 * four more {@code update}s at its start and one at its end, and {@code finished} (eight messages a build, as the lab's
 * 3.7 master sent them, {@code buildbot/3.7/ws-events.jsonl}); to those that consume {@code workers/*}{@code /*}
 * {@code connected} and {@code disconnected} for each worker whose connection changed. Traffic is counted under the
 * endpoint {@code ws}. Sends block while a client does not read (TCP pushes back), so nothing piles up here.
 */
final class FakeStream {

	static final String WORKERS = "workers/*/*";

	static final String BUILDS = "builds/*/*";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String[] STARTING = { "preparing worker", "pinging worker", "acquiring locks", "building" };

	private final FakeBuildbot master;

	private final Map<Session, Set<String>> sessions = new ConcurrentHashMap<>();

	FakeStream(FakeBuildbot master) {
		this.master = master;
	}

	ServerEndpointConfig config(String path) {
		return ServerEndpointConfig.Builder.create(Socket.class, path)
			.configurator(new ServerEndpointConfig.Configurator() {
				@Override
				public <T> T getEndpointInstance(Class<T> endpointClass) {
					return endpointClass.cast(new Socket());
				}
			})
			.build();
	}

	/** Open connections. */
	int open() {
		return this.sessions.size();
	}

	/** A worker connected or disconnected at the harness's request: said at once. */
	void worker(int w, boolean connected, Moment at) {
		publish(WORKERS, workerEvent(w, connected));
	}

	/**
	 * The clock moved from {@code before} to {@code after}: the builds that started and finished in between, and the
	 * workers whose connection changed (at {@code after}), in time order.
	 */
	void advanced(Moment before, Moment after) {
		boolean builds = subscribed(BUILDS);
		boolean workers = subscribed(WORKERS);
		if (!builds && !workers) {
			return;
		}
		SyntheticFleet fleet = this.master.fleet();
		// {time, kind (0 new, 1 finished, 2 connected, 3 disconnected), id}
		List<long[]> events = new ArrayList<>();
		if (builds) {
			for (long k = before.maxId() + 1; k <= after.maxId(); k++) {
				events.add(new long[] { fleet.startedMillis(k), 0, k });
			}
			long from = Math.max(1, fleet.lastBuildBefore(before.nowMillis() - fleet.maxDurationMillis()));
			for (long k = from; k <= after.maxId(); k++) {
				long done = fleet.completeAt(k) * 1000;
				if (done > before.nowMillis() && done <= after.nowMillis()) {
					events.add(new long[] { done, 1, k });
				}
			}
		}
		if (workers) {
			for (int w = 0; w < fleet.workers; w++) {
				boolean was = this.master.connected(w, before);
				boolean is = this.master.connected(w, after);
				if (was != is) {
					events.add(new long[] { after.nowMillis(), is ? 2 : 3, w });
				}
			}
		}
		events.sort((x, y) -> (x[0] != y[0]) ? Long.compare(x[0], y[0])
				: (x[1] != y[1]) ? Long.compare(x[1], y[1]) : Long.compare(x[2], y[2]));
		for (long[] event : events) {
			long k = event[2];
			switch ((int) event[1]) {
				case 0 -> {
					publish(BUILDS, buildEvent(k, "update", "starting", false));
					publish(BUILDS, buildEvent(k, "new", "starting", false));
					for (String state : STARTING) {
						publish(BUILDS, buildEvent(k, "update", state, false));
					}
				}
				case 1 -> {
					publish(BUILDS, buildEvent(k, "update", fleet.stateString(k), false));
					publish(BUILDS, buildEvent(k, "finished", fleet.stateString(k), true));
				}
				default -> publish(WORKERS, workerEvent((int) k, event[1] == 2));
			}
		}
	}

	private String workerEvent(int w, boolean connected) {
		StringBuilder sb = new StringBuilder(512).append("{\"k\":\"workers/")
			.append(w + 1)
			.append(connected ? "/connected" : "/disconnected")
			.append("\",\"m\":");
		this.master.appendWorker(sb, w, connected);
		return sb.append('}').toString();
	}

	/** A build as Buildbot's build events carry it: the REST fields, {@code "properties":{}}. */
	private String buildEvent(long k, String event, String state, boolean finished) {
		SyntheticFleet f = this.master.fleet();
		int worker = f.workerOf(k);
		return "{\"k\":\"builds/" + k + "/" + event + "\",\"m\":{\"builderid\":" + (f.builderOf(k) + 1) + ",\"buildid\":"
				+ k + ",\"buildrequestid\":" + k + ",\"complete\":" + finished + ",\"complete_at\":"
				+ (finished ? String.valueOf(f.completeAt(k)) : "null") + ",\"masterid\":1,\"number\":" + f.numberOf(k)
				+ ",\"properties\":{},\"results\":" + (finished ? String.valueOf(f.results(k)) : "null")
				+ ",\"started_at\":" + f.startedAt(k) + ",\"state_string\":\"" + state + "\",\"workerid\":"
				+ ((worker >= 0) ? String.valueOf(worker + 1) : "null") + "}}";
	}

	private boolean subscribed(String path) {
		for (Set<String> paths : this.sessions.values()) {
			if (paths.contains(path)) {
				return true;
			}
		}
		return false;
	}

	private void publish(String path, String message) {
		for (Map.Entry<Session, Set<String>> e : this.sessions.entrySet()) {
			if (e.getValue().contains(path)) {
				send(e.getKey(), message);
			}
		}
	}

	private void send(Session session, String message) {
		synchronized (session) {
			if (!session.isOpen()) {
				return;
			}
			try {
				session.getBasicRemote().sendText(message);
				this.master.countStream(0, message.getBytes(StandardCharsets.UTF_8).length);
			}
			catch (IOException | IllegalStateException ex) {
				this.sessions.remove(session);
			}
		}
	}

	private void command(Session session, String message) {
		this.master.countStream(1, 0);
		JsonNode frame;
		try {
			frame = json.readTree(message);
		}
		catch (JacksonException ex) {
			send(session, "{\"error\":\"not JSON\",\"code\":400,\"_id\":null}");
			return;
		}
		String id = frame.path("_id").isNumber() ? String.valueOf(frame.path("_id").asLong()) : "null";
		String cmd = frame.path("cmd").isString() ? frame.path("cmd").asString() : "";
		String path = frame.path("path").isString() ? frame.path("path").asString() : "";
		Set<String> paths = this.sessions.get(session);
		switch (cmd) {
			case "startConsuming" -> {
				if (paths != null) {
					paths.add(path);
				}
				send(session, "{\"msg\":\"OK\",\"code\":200,\"_id\":" + id + "}");
			}
			case "stopConsuming" -> {
				if (paths != null && paths.remove(path)) {
					send(session, "{\"msg\":\"OK\",\"code\":200,\"_id\":" + id + "}");
				}
				else {
					send(session, "{\"error\":\"path was not consumed '" + path + "'\",\"code\":400,\"_id\":" + id + "}");
				}
			}
			case "ping" -> send(session, "{\"msg\":\"pong\",\"code\":200,\"_id\":" + id + "}");
			default -> send(session, "{\"error\":\"no such command type '" + cmd + "'\",\"code\":404,\"_id\":" + id + "}");
		}
	}

	/** One client connection. */
	final class Socket extends Endpoint {

		@Override
		public void onOpen(Session session, EndpointConfig config) {
			FakeStream.this.sessions.put(session, ConcurrentHashMap.newKeySet());
			FakeStream.this.master.countStream(1, 0);
			session.addMessageHandler(String.class, (MessageHandler.Whole<String>) (m) -> command(session, m));
		}

		@Override
		public void onClose(Session session, CloseReason closeReason) {
			FakeStream.this.sessions.remove(session);
		}

		@Override
		public void onError(Session session, Throwable error) {
			FakeStream.this.sessions.remove(session);
		}

	}

}
