package org.fleethealth.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Buildbot master stand-in on loopback: serves the answers recorded from a real Buildbot 3.7 master
 * ({@code src/test/resources/buildbot/3.7/}), answering the builds queries fleet-health sends ({@code
 * buildid__gt}, {@code buildid__lt}, {@code buildid__eq}, {@code order}, {@code limit}) from the recorded
 * builds, and can misbehave on demand: HTTP 500, hanging, truncated JSON, an empty worker list, a 50 MB
 * answer, or hanging one instance's workers request until released. It records who asked what (the
 * User-Agent tells instances apart).
 */
final class BuildbotStandIn implements AutoCloseable {

	/** How the master misbehaves. */
	enum Fault {

		/** Answers as recorded. */
		NONE,
		/** Every API request answers HTTP 500. */
		ERROR_500,
		/** Every API request hangs without answering (until the fault changes). */
		HANG,
		/** Every API request sends its headers and half of the body, then hangs. */
		HANG_MID_BODY,
		/** Every API answer is cut in the middle of the JSON. */
		TRUNCATED,
		/** The workers list is empty (the rest answers as recorded). */
		EMPTY_WORKERS,
		/** The workers answer is 50 MB of JSON, chunked, without a Content-Length. */
		HUGE_WORKERS

	}

	/** One request as received. */
	record Request(Instant at, String path, String query, String userAgent) {
	}

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final Map<String, String> fixtures = new ConcurrentHashMap<>();

	private final List<JsonNode> builds = new ArrayList<>();

	private volatile String workers;

	private volatile long newestBuild;

	private volatile Fault fault = Fault.NONE;

	private volatile CountDownLatch faultOver = new CountDownLatch(1);

	private volatile boolean hangArmed;

	private final AtomicReference<String> hungAgent = new AtomicReference<>();

	private final CountDownLatch hangReleased = new CountDownLatch(1);

	private final CountDownLatch closed = new CountDownLatch(1);

	BuildbotStandIn() throws IOException {
		for (String name : List.of("workers.json", "workers-all-connected.json", "builders.json", "builds.json",
				"steps-9.json")) {
			try (InputStream in = getClass().getResourceAsStream("/buildbot/3.7/" + name)) {
				this.fixtures.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
			}
		}
		JSON.readTree(this.fixtures.get("builds.json")).path("builds").forEach(this.builds::add);
		this.builds.sort(Comparator.comparingLong((JsonNode b) -> b.path("buildid").asLong()));
		this.newestBuild = this.builds.get(this.builds.size() - 1).path("buildid").asLong();
		this.workers = this.fixtures.get("workers-all-connected.json");
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
		this.server.createContext("/", this::handle);
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	/** The base URL to configure as the master's {@code url}. */
	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/";
	}

	/** Serves one of the recorded workers lists ({@code workers.json}: bob stopped; all connected otherwise). */
	void workers(String fixture) {
		this.workers = this.fixtures.get(fixture);
	}

	/** Only builds up to this id exist (so new builds can "appear" later). */
	void newestBuild(long id) {
		this.newestBuild = id;
	}

	long recordedNewestBuild() {
		return this.builds.get(this.builds.size() - 1).path("buildid").asLong();
	}

	void fault(Fault fault) {
		CountDownLatch over = this.faultOver;
		this.fault = fault;
		this.faultOver = new CountDownLatch(1);
		// Requests hanging under the previous fault end now (their clients gave up long ago).
		over.countDown();
	}

	/** The next workers request hangs until {@link #releaseHang()}; it tells which User-Agent asked. */
	void hangNextWorkersRequest() {
		this.hangArmed = true;
	}

	String hungAgent() {
		return this.hungAgent.get();
	}

	void releaseHang() {
		this.hangReleased.countDown();
	}

	List<Request> requests() {
		return List.copyOf(this.requests);
	}

	private void handle(HttpExchange exchange) {
		try {
			String path = exchange.getRequestURI().getPath();
			String query = exchange.getRequestURI().getRawQuery();
			String agent = exchange.getRequestHeaders().getFirst("User-Agent");
			this.requests.add(new Request(Instant.now(), path, query, agent));
			boolean isWorkers = path.endsWith("/api/v2/workers");
			if (isWorkers && this.hangArmed && this.hungAgent.compareAndSet(null, agent)) {
				this.hangArmed = false;
				waitFor(this.hangReleased);
			}
			Fault current = this.fault;
			CountDownLatch over = this.faultOver;
			String body = answer(path, query);
			if (body == null) {
				respond(exchange, 404, "{\"error\": \"invalid path\"}");
				return;
			}
			switch (current) {
				case ERROR_500 -> respond(exchange, 500, "<html><body>Internal Server Error</body></html>");
				case HANG -> {
					waitFor(over);
					respond(exchange, 503, "{}");
				}
				case HANG_MID_BODY -> {
					byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
					exchange.getResponseHeaders().add("Content-Type", "application/json");
					exchange.sendResponseHeaders(200, bytes.length);
					OutputStream out = exchange.getResponseBody();
					out.write(bytes, 0, bytes.length / 2);
					out.flush();
					waitFor(over);
				}
				case TRUNCATED -> respond(exchange, 200, body.substring(0, body.length() / 2));
				case EMPTY_WORKERS -> respond(exchange, 200, isWorkers ? "{\"meta\": {\"total\": 0}, \"workers\": []}" : body);
				case HUGE_WORKERS -> {
					if (isWorkers) {
						huge(exchange);
					}
					else {
						respond(exchange, 200, body);
					}
				}
				default -> respond(exchange, 200, body);
			}
		}
		catch (IOException ex) {
			// the client gave up (timeout, size limit): nothing to answer any more
		}
		finally {
			exchange.close();
		}
	}

	private String answer(String path, String query) {
		if (path.endsWith("/api/v2/workers")) {
			return this.workers;
		}
		if (path.endsWith("/api/v2/builders")) {
			return this.fixtures.get("builders.json");
		}
		if (path.endsWith("/api/v2/builds")) {
			return builds(query);
		}
		if (path.matches(".*/api/v2/builds/\\d+/steps")) {
			return this.fixtures.get("steps-9.json");
		}
		return null;
	}

	/** The recorded builds that match the query, as Buildbot would filter, order and limit them. */
	private String builds(String query) {
		long gt = Long.MIN_VALUE;
		long lt = Long.MAX_VALUE;
		List<Long> eq = new ArrayList<>();
		boolean descending = false;
		int limit = Integer.MAX_VALUE;
		for (String pair : (query != null) ? query.split("&") : new String[0]) {
			String[] kv = pair.split("=", 2);
			String value = (kv.length > 1) ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
			switch (kv[0]) {
				case "buildid__gt" -> gt = Long.parseLong(value);
				case "buildid__lt" -> lt = Long.parseLong(value);
				case "buildid__eq" -> eq.add(Long.parseLong(value));
				case "order" -> descending = value.startsWith("-");
				case "limit" -> limit = Integer.parseInt(value);
				default -> {
				}
			}
		}
		List<JsonNode> selected = new ArrayList<>();
		for (JsonNode build : this.builds) {
			long id = build.path("buildid").asLong();
			if (id > gt && id < lt && id <= this.newestBuild && (eq.isEmpty() || eq.contains(id))) {
				selected.add(build);
			}
		}
		if (descending) {
			Collections.reverse(selected);
		}
		selected = selected.subList(0, Math.min(limit, selected.size()));
		ObjectNode answer = JSON.createObjectNode();
		ArrayNode list = answer.putArray("builds");
		selected.forEach(list::add);
		answer.putObject("meta").put("total", selected.size());
		return answer.toString();
	}

	private static void huge(HttpExchange exchange) throws IOException {
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, 0);
		OutputStream out = exchange.getResponseBody();
		byte[] worker = "{\"name\": \"w\", \"workerid\": 1, \"configured_on\": [], \"connected_to\": []},"
			.getBytes(StandardCharsets.UTF_8);
		byte[] chunk = new byte[64 * 1024 - (64 * 1024) % worker.length];
		for (int i = 0; i < chunk.length; i += worker.length) {
			System.arraycopy(worker, 0, chunk, i, worker.length);
		}
		out.write("{\"workers\": [".getBytes(StandardCharsets.UTF_8));
		for (long sent = 0; sent < 50L * 1024 * 1024; sent += chunk.length) {
			out.write(chunk);
		}
		out.write("{}], \"meta\": {\"total\": 1}}".getBytes(StandardCharsets.UTF_8));
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
	}

	private void waitFor(CountDownLatch latch) {
		try {
			// Bounded, so a forgotten release cannot keep a thread forever; closing releases everything.
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
			while (!latch.await(200, TimeUnit.MILLISECONDS) && this.closed.getCount() > 0
					&& System.nanoTime() < deadline) {
				// keep waiting
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.closed.countDown();
		this.hangReleased.countDown();
		this.faultOver.countDown();
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
