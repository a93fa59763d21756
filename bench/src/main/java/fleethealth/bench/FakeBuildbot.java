package fleethealth.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A Buildbot 3.7 data API ({@code /api/v2/...}) on loopback, answering from a {@link SyntheticFleet} in the
 * shape of the recorded answers in {@code src/test/resources/buildbot/3.7/}. It honours the query parameters
 * fleet-health sends ({@code buildid__gt/__lt/__ge/__le/__eq}, {@code order}, {@code limit}, {@code offset},
 * {@code property}, {@code field}), rejects others with 400 like a strict master, and counts requests and
 * response bytes per endpoint; a request without {@code limit} is counted as unbounded.
 *
 * <p>
 * Control endpoints for the harness: {@code GET /bench/state}, {@code POST /bench/advance?builds=N} (N new
 * builds arrive, the fleet's clock moves on), {@code POST /bench/take} (counters and request log since the
 * last take). Run: {@code FakeBuildbot WORKERS STORED}; prints {@code LISTENING <port>}.
 */
public final class FakeBuildbot {

	private final SyntheticFleet fleet;

	private final HttpServer server;

	private final ExecutorService executor = Executors.newFixedThreadPool(4);

	private volatile long maxId;

	private final AtomicLong heartbeats = new AtomicLong();

	private final Object statsLock = new Object();

	private Map<String, long[]> stats = new LinkedHashMap<>();

	private List<String> log = new ArrayList<>();

	private long unbounded;

	private String largestEndpoint = "";

	private long largestBytes;

	FakeBuildbot(SyntheticFleet fleet) throws IOException {
		this.fleet = fleet;
		this.maxId = fleet.stored;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
		this.server.createContext("/", this::handle);
		this.server.setExecutor(this.executor);
	}

	public static void main(String[] args) throws IOException {
		int workers = Integer.parseInt(args[0]);
		long stored = Long.parseLong(args[1]);
		FakeBuildbot fake = new FakeBuildbot(SyntheticFleet.of(workers, stored));
		fake.server.start();
		System.out.println("LISTENING " + fake.server.getAddress().getPort());
		System.out.flush();
		// Runs until the harness stops it (POST /bench/stop) or ends the process.
	}

	long now() {
		return this.fleet.nowMillis(this.maxId);
	}

	private void handle(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getRawPath();
		String query = exchange.getRequestURI().getRawQuery();
		Map<String, List<String>> params = parse(query);
		try {
			if (path.startsWith("/bench/")) {
				control(exchange, path, params);
				return;
			}
			String endpoint;
			String body;
			if (path.equals("/api/v2/workers")) {
				endpoint = "workers";
				allow(params, "limit", "offset", "order", "field");
				body = workers(params);
			}
			else if (path.equals("/api/v2/builders")) {
				endpoint = "builders";
				allow(params, "limit", "offset", "order", "field");
				body = builders(params);
			}
			else if (path.equals("/api/v2/builds")) {
				endpoint = "builds";
				allow(params, "limit", "offset", "order", "field", "property", "buildid__gt", "buildid__lt",
						"buildid__ge", "buildid__le", "buildid__eq");
				body = builds(params);
			}
			else if (path.startsWith("/api/v2/builds/") && path.endsWith("/steps")) {
				endpoint = "steps";
				allow(params, "limit", "offset", "order", "field");
				long id = Long.parseLong(path.substring("/api/v2/builds/".length(), path.length() - "/steps".length()));
				body = steps(id, params);
			}
			else {
				send(exchange, 404, "{\"error\":\"not found: " + path + "\"}");
				return;
			}
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			count(endpoint, path + ((query != null) ? "?" + query : ""), bytes.length, !params.containsKey("limit"));
			send(exchange, 200, bytes);
		}
		catch (IllegalArgumentException ex) {
			send(exchange, 400, "{\"error\":\"" + ex.getMessage().replace("\"", "'") + "\"}");
		}
	}

	private void control(HttpExchange exchange, String path, Map<String, List<String>> params) throws IOException {
		switch (path) {
			case "/bench/state" -> send(exchange, 200, state());
			case "/bench/advance" -> {
				this.maxId += Long.parseLong(first(params, "builds", "0"));
				send(exchange, 200, state());
			}
			case "/bench/take" -> send(exchange, 200, take());
			case "/bench/stop" -> {
				send(exchange, 200, "{}");
				new Thread(() -> {
					this.server.stop(0);
					this.executor.shutdownNow();
				}).start();
			}
			default -> send(exchange, 404, "{}");
		}
	}

	private String state() {
		return "{\"now\":" + now() + ",\"maxId\":" + this.maxId + ",\"workers\":" + this.fleet.workers
				+ ",\"builders\":" + this.fleet.builders + ",\"stored\":" + this.fleet.stored + ",\"perDay\":"
				+ this.fleet.perDay + "}";
	}

	private void count(String endpoint, String uri, long bytes, boolean isUnbounded) {
		synchronized (this.statsLock) {
			long[] s = this.stats.computeIfAbsent(endpoint, (e) -> new long[3]);
			s[0]++;
			s[1] += bytes;
			s[2] = Math.max(s[2], bytes);
			this.log.add(uri);
			if (isUnbounded) {
				this.unbounded++;
			}
			if (bytes > this.largestBytes) {
				this.largestBytes = bytes;
				this.largestEndpoint = endpoint;
			}
		}
	}

	private String take() {
		synchronized (this.statsLock) {
			StringBuilder sb = new StringBuilder("{\"endpoints\":{");
			boolean firstEntry = true;
			for (Map.Entry<String, long[]> e : this.stats.entrySet()) {
				sb.append(firstEntry ? "" : ",").append('"').append(e.getKey()).append("\":{\"requests\":")
					.append(e.getValue()[0]).append(",\"bytes\":").append(e.getValue()[1]).append(",\"largest\":")
					.append(e.getValue()[2]).append('}');
				firstEntry = false;
			}
			sb.append("},\"unbounded\":").append(this.unbounded).append(",\"largestEndpoint\":\"")
				.append(this.largestEndpoint).append("\",\"largestBytes\":").append(this.largestBytes)
				.append(",\"log\":[");
			for (int i = 0; i < this.log.size(); i++) {
				sb.append((i == 0) ? "" : ",").append('"').append(this.log.get(i)).append('"');
			}
			sb.append("]}");
			this.stats = new LinkedHashMap<>();
			this.log = new ArrayList<>();
			this.unbounded = 0;
			this.largestBytes = 0;
			this.largestEndpoint = "";
			return sb.toString();
		}
	}

	// ---- the data API

	private String workers(Map<String, List<String>> params) {
		long epoch = this.heartbeats.getAndIncrement();
		long now = now();
		int[] range = window(params, this.fleet.workers);
		StringBuilder sb = new StringBuilder(this.fleet.workers * 330).append("{\"meta\":{\"total\":")
			.append(this.fleet.workers)
			.append("},\"workers\":[");
		for (int w = range[0]; w < range[1]; w++) {
			boolean never = this.fleet.profile(w) == SyntheticFleet.Profile.NEVER_CONNECTED;
			sb.append((w == range[0]) ? "" : ",")
				.append("{\"configured_on\":[{\"builderid\":")
				.append(this.fleet.builderA(w) + 1)
				.append(",\"masterid\":1},{\"builderid\":")
				.append(this.fleet.builderB(w) + 1)
				.append(",\"masterid\":1}],\"connected_to\":")
				.append(this.fleet.connected(w, epoch, now) ? "[{\"masterid\":1}]" : "[]")
				.append(",\"graceful\":false,\"name\":\"")
				.append(this.fleet.workerName(w))
				.append("\",\"paused\":")
				.append(SyntheticFleet.mix(w, 4) % 200 == 0)
				.append(",\"workerid\":")
				.append(w + 1)
				.append(",\"workerinfo\":");
			if (never) {
				sb.append("{}}");
			}
			else {
				sb.append("{\"access_uri\":null,\"admin\":\"")
					.append(this.fleet.admin(w))
					.append("\\n\",\"host\":\"")
					.append(SyntheticFleet.OS[w % SyntheticFleet.OS.length])
					.append(" x86-64 (synthetic fleet-health bench host)\\n\",\"version\":\"")
					.append(this.fleet.version(w))
					.append("\"}}");
			}
		}
		return sb.append("]}").toString();
	}

	private String builders(Map<String, List<String>> params) {
		int[] range = window(params, this.fleet.builders);
		StringBuilder sb = new StringBuilder().append("{\"builders\":[");
		for (int b = range[0]; b < range[1]; b++) {
			sb.append((b == range[0]) ? "" : ",")
				.append("{\"builderid\":")
				.append(b + 1)
				.append(",\"description\":null,\"masterids\":[1],\"name\":\"")
				.append(this.fleet.builderName(b))
				.append("\",\"tags\":[");
			String[] tags = this.fleet.tags(b);
			for (int i = 0; i < tags.length; i++) {
				sb.append((i == 0) ? "" : ",").append('"').append(tags[i]).append('"');
			}
			sb.append("]}");
		}
		return sb.append("],\"meta\":{\"total\":").append(this.fleet.builders).append("}}").toString();
	}

	/** Offset and limit applied to a list of {@code size} ordered items. */
	private static int[] window(Map<String, List<String>> params, int size) {
		int offset = Integer.parseInt(first(params, "offset", "0"));
		int limit = Integer.parseInt(first(params, "limit", String.valueOf(Integer.MAX_VALUE)));
		int from = Math.min(size, offset);
		return new int[] { from, (int) Math.min(size, (long) from + limit) };
	}

	private String builds(Map<String, List<String>> params) {
		long max = this.maxId;
		long now = this.fleet.nowMillis(max);
		long lo = 1;
		long hi = max;
		for (Map.Entry<String, List<String>> e : params.entrySet()) {
			for (String v : e.getValue()) {
				switch (e.getKey()) {
					case "buildid__gt" -> lo = Math.max(lo, Long.parseLong(v) + 1);
					case "buildid__ge" -> lo = Math.max(lo, Long.parseLong(v));
					case "buildid__lt" -> hi = Math.min(hi, Long.parseLong(v) - 1);
					case "buildid__le" -> hi = Math.min(hi, Long.parseLong(v));
					default -> {
					}
				}
			}
		}
		String order = first(params, "order", "buildid");
		if (!order.equals("buildid") && !order.equals("-buildid")) {
			throw new IllegalArgumentException("unsupported order " + order);
		}
		boolean descending = order.startsWith("-");
		long offset = Long.parseLong(first(params, "offset", "0"));
		long limit = Long.parseLong(first(params, "limit", String.valueOf(Long.MAX_VALUE)));
		List<String> properties = params.getOrDefault("property", List.of());
		boolean revision = properties.contains("got_revision") || properties.contains("*");
		List<Long> ids = new ArrayList<>();
		long total;
		if (params.containsKey("buildid__eq")) {
			TreeSet<Long> wanted = new TreeSet<>();
			for (String v : params.get("buildid__eq")) {
				long id = Long.parseLong(v);
				if (id >= lo && id <= hi) {
					wanted.add(id);
				}
			}
			total = wanted.size();
			(descending ? wanted.descendingSet() : wanted).stream().skip(offset).limit(limit).forEach(ids::add);
		}
		else {
			total = Math.max(0, hi - lo + 1);
			long count = Math.min(limit, Math.max(0, total - offset));
			for (long i = 0; i < count; i++) {
				ids.add(descending ? hi - offset - i : lo + offset + i);
			}
		}
		StringBuilder sb = new StringBuilder(ids.size() * 330 + 64).append("{\"builds\":[");
		boolean firstBuild = true;
		for (long k : ids) {
			sb.append(firstBuild ? "" : ",");
			firstBuild = false;
			appendBuild(sb, k, now, revision, properties.contains("*"));
		}
		return sb.append("],\"meta\":{\"total\":").append(total).append("}}").toString();
	}

	private void appendBuild(StringBuilder sb, long k, long now, boolean revision, boolean all) {
		SyntheticFleet f = this.fleet;
		boolean running = f.running(k, now);
		int worker = f.workerOf(k);
		sb.append("{\"builderid\":")
			.append(f.builderOf(k) + 1)
			.append(",\"buildid\":")
			.append(k)
			.append(",\"buildrequestid\":")
			.append(k)
			.append(",\"complete\":")
			.append(!running)
			.append(",\"complete_at\":")
			.append(running ? "null" : String.valueOf(f.completeAt(k)))
			.append(",\"masterid\":1,\"number\":")
			.append(f.numberOf(k))
			.append(",\"properties\":{");
		boolean hasRevision = revision && (running || f.hasRevision(k));
		if (all) {
			sb.append("\"buildername\":[\"").append(f.builderName(f.builderOf(k))).append("\",\"Builder\"]");
			sb.append(",\"buildnumber\":[").append(f.numberOf(k)).append(",\"Build\"]");
		}
		if (hasRevision) {
			sb.append(all ? "," : "").append("\"got_revision\":[\"").append(f.revision(k)).append("\",\"Git\"]");
		}
		sb.append("},\"results\":")
			.append(running ? "null" : String.valueOf(f.results(k)))
			.append(",\"started_at\":")
			.append(f.startedAt(k))
			.append(",\"state_string\":\"")
			.append(running ? "building" : f.stateString(k))
			.append("\",\"workerid\":")
			.append((worker >= 0) ? String.valueOf(worker + 1) : "null")
			.append('}');
	}

	private String steps(long k, Map<String, List<String>> params) {
		Set<String> fields = new TreeSet<>(params.getOrDefault("field", List.of()));
		long now = now();
		StringBuilder sb = new StringBuilder("{\"meta\":{},\"steps\":[");
		if (k >= 1 && k <= this.maxId) {
			Integer[] results = this.fleet.stepResults(k);
			boolean running = this.fleet.running(k, now);
			long t = this.fleet.startedAt(k);
			boolean firstStep = true;
			for (int i = 0; i < results.length; i++) {
				if (results[i] == null) {
					break;
				}
				Map<String, String> step = new LinkedHashMap<>();
				step.put("buildid", String.valueOf(k));
				step.put("complete", String.valueOf(!running));
				step.put("complete_at", String.valueOf(t + i + 1));
				step.put("hidden", "false");
				step.put("name", "\"" + SyntheticFleet.STEP_NAMES[i] + "\"");
				step.put("number", String.valueOf(i));
				step.put("results", running ? "null" : String.valueOf(results[i]));
				step.put("started_at", String.valueOf(t + i));
				step.put("state_string", "\"" + SyntheticFleet.STEP_NAMES[i] + ((results[i] == 0) ? "" : " (failure)")
						+ "\"");
				step.put("stepid", String.valueOf(k * 10 + i));
				step.put("urls", "[]");
				sb.append(firstStep ? "{" : ",{");
				firstStep = false;
				boolean firstField = true;
				for (Map.Entry<String, String> e : step.entrySet()) {
					if (fields.isEmpty() || fields.contains(e.getKey())) {
						sb.append(firstField ? "" : ",").append('"').append(e.getKey()).append("\":").append(e.getValue());
						firstField = false;
					}
				}
				sb.append('}');
			}
		}
		return sb.append("]}").toString();
	}

	// ---- plumbing

	private static void allow(Map<String, List<String>> params, String... allowed) {
		Set<String> ok = Set.of(allowed);
		for (String name : params.keySet()) {
			if (!ok.contains(name)) {
				throw new IllegalArgumentException("unrecognized query parameter " + name);
			}
		}
	}

	private static Map<String, List<String>> parse(String query) {
		Map<String, List<String>> params = new LinkedHashMap<>();
		if (query == null || query.isEmpty()) {
			return params;
		}
		for (String pair : query.split("&")) {
			int eq = pair.indexOf('=');
			String name = URLDecoder.decode((eq < 0) ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
			String value = (eq < 0) ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			params.computeIfAbsent(name, (n) -> new ArrayList<>()).add(value);
		}
		return params;
	}

	private static String first(Map<String, List<String>> params, String name, String otherwise) {
		List<String> values = params.get(name);
		return (values == null || values.isEmpty()) ? otherwise : values.get(0);
	}

	private static void send(HttpExchange exchange, int status, String body) throws IOException {
		send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
	}

	private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

}
