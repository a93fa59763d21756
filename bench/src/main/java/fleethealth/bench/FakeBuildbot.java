package fleethealth.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * A Buildbot 3.7 master on loopback, answering from a {@link SyntheticFleet} in the shape of the recorded answers
 * in {@code src/test/resources/buildbot/3.7/}: the data API ({@code /api/v2/...}) and the WebSocket ({@code /ws},
 * {@link FakeStream}), on embedded Tomcat (on the classpath with Spring Boot; the JDK's HTTP server cannot upgrade
 * to WebSocket). It honours the query parameters fleet-health and CPython's release dashboard send
 * ({@code buildid__gt/__lt/__ge/__le/__eq}, {@code order}, {@code limit}, {@code offset}, {@code property},
 * {@code field}, {@code claimed}, {@code complete}, {@code complete__eq}), rejects others with 400 like a strict
 * master, and counts requests and response bytes per endpoint (the WebSocket too); a list request without
 * {@code limit} is counted as unbounded.
 *
 * <p>
 * Endpoints: {@code workers}, {@code builders}, {@code builds}, {@code builds/{id}/steps}, {@code masters} (one
 * active master whose heartbeat keeps Buildbot's 60 s rhythm), {@code buildrequests} (what waits on builders whose
 * workers are all gone), {@code builders/{id}/builds} and {@code builds/{id}/changes} (what the release dashboard
 * reads).
 *
 * <p>
 * Control endpoints for the harness: {@code GET /bench/state}, {@code POST /bench/advance?builds=N} (N new builds
 * arrive, the fleet's clock moves to the newest one's start) or {@code ?seconds=S} (the clock moves on S seconds, and
 * the builds that started meanwhile arrive), {@code POST /bench/worker?id=W&connected=true|false} (one worker
 * connects or disconnects now, and the WebSocket says so at once), {@code POST /bench/take} (counters and request log
 * since the last take), {@code POST /bench/stop}. Run: {@code FakeBuildbot WORKERS STORED [SHAPE PER_DAY FLEETS_DIR]};
 * prints {@code LISTENING <port>}.
 */
public final class FakeBuildbot {

	/** When the master process started (its first heartbeat), a week before the fleet's anchor. */
	static final long MASTER_STARTED_SECONDS = SyntheticFleet.ANCHOR_SECONDS - 7 * 86400;

	private final SyntheticFleet fleet;

	private final Path fleetsDir;

	private final Tomcat tomcat = new Tomcat();

	private final Path baseDir;

	private final FakeStream stream;

	private final CountDownLatch stopped = new CountDownLatch(1);

	/**
	 * The fleet's clock: the newest build, the time, and the flapping workers' epoch (they change state with it). A
	 * move by a number of builds moves the epoch by one, as each heartbeat did when every such move was followed by
	 * one workers poll (the main benchmark); a move by time moves it every {@link #FLAP_MILLIS}.
	 */
	record Moment(long maxId, long nowMillis, long epoch) {
	}

	private volatile Moment moment;

	/** How often a flapping worker connects or disconnects while the clock moves on by time. */
	static final long FLAP_MILLIS = 30 * 60 * 1000;

	/** Workers connected or disconnected by the harness, over what the fleet says. */
	private final Map<Integer, Boolean> forced = new ConcurrentHashMap<>();

	private final Object statsLock = new Object();

	private Map<String, long[]> stats = new LinkedHashMap<>();

	private List<String> log = new ArrayList<>();

	private long unbounded;

	private String largestEndpoint = "";

	private long largestBytes;

	FakeBuildbot(SyntheticFleet fleet, Path fleetsDir) throws IOException {
		this.fleet = fleet;
		this.fleetsDir = fleetsDir;
		this.moment = new Moment(fleet.stored, fleet.nowMillis(fleet.stored), 0);
		this.stream = new FakeStream(this);
		this.baseDir = Files.createTempDirectory("fake-buildbot");
		this.tomcat.setBaseDir(this.baseDir.toString());
		this.tomcat.setPort(0);
		this.tomcat.getConnector().setProperty("address", "127.0.0.1");
		this.tomcat.getConnector().setProperty("maxThreads", "16");
		StandardContext context = (StandardContext) this.tomcat.addContext("", null);
		context.setClearReferencesRmiTargets(false);
		context.setClearReferencesThreadLocals(false);
		context.addServletContainerInitializer(new WsSci(), null);
		context.addServletContainerInitializer((classes, servletContext) -> {
			try {
				((ServerContainer) servletContext.getAttribute(ServerContainer.class.getName()))
					.addEndpoint(this.stream.config("/ws"));
			}
			catch (DeploymentException ex) {
				throw new IllegalStateException(ex);
			}
		}, null);
		Tomcat.addServlet(context, "master", new HttpServlet() {
			@Override
			protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
				handle(request, response);
			}
		});
		context.addServletMappingDecoded("/*", "master");
	}

	public static void main(String[] args) throws Exception {
		int workers = Integer.parseInt(args[0]);
		long stored = Long.parseLong(args[1]);
		String shape = (args.length > 2) ? args[2] : "synthetic";
		int perDay = (args.length > 3) ? Integer.parseInt(args[3]) : 0;
		Path fleets = (args.length > 4) ? Path.of(args[4]) : FleetShapes.DEFAULT_DIR;
		SyntheticFleet fleet = shape.equals("synthetic") ? SyntheticFleet.of(workers, stored)
				: FleetShapes.load(shape, fleets, stored, perDay);
		FakeBuildbot fake = new FakeBuildbot(fleet, fleets);
		System.out.println("LISTENING " + fake.start());
		System.out.flush();
		if (Boolean.getBoolean("bench.realtime")) {
			fake.followTheClock();
		}
		// Runs until the harness stops it (POST /bench/stop) or ends the process.
		fake.stopped.await();
		fake.stop();
	}

	/** Starts serving; answers the port. */
	int start() {
		// Tomcat logs through java.util.logging; its start and stop lines say nothing here.
		java.util.logging.Logger.getLogger("org.apache").setLevel(java.util.logging.Level.WARNING);
		try {
			this.tomcat.start();
		}
		catch (LifecycleException ex) {
			throw new IllegalStateException(ex);
		}
		return this.tomcat.getConnector().getLocalPort();
	}

	void stop() {
		try {
			this.tomcat.stop();
			this.tomcat.destroy();
		}
		catch (LifecycleException ex) {
			// stopping anyway
		}
		try (var paths = Files.walk(this.baseDir)) {
			paths.sorted(java.util.Collections.reverseOrder()).forEach((p) -> p.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory left behind
		}
	}

	SyntheticFleet fleet() {
		return this.fleet;
	}

	Moment moment() {
		return this.moment;
	}

	long now() {
		return this.moment.nowMillis();
	}

	/** Whether worker {@code w} is connected at the given moment (what the harness forced wins). */
	boolean connected(int w, Moment at) {
		Boolean forcedState = this.forced.get(w);
		return (forcedState != null) ? forcedState : this.fleet.connected(w, at.epoch(), at.nowMillis());
	}

	private void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String path = request.getRequestURI();
		String query = request.getQueryString();
		Map<String, List<String>> params = parse(query);
		try {
			if (path.startsWith("/bench/")) {
				control(response, path, params);
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
			else if (path.equals("/api/v2/masters")) {
				endpoint = "masters";
				allow(params, "limit", "offset", "order", "field");
				body = masters();
			}
			else if (path.equals("/api/v2/buildrequests")) {
				endpoint = "buildrequests";
				allow(params, "limit", "offset", "order", "field", "claimed", "complete", "claimed__eq",
						"complete__eq");
				body = buildRequests(params);
			}
			else if (path.startsWith("/api/v2/builders/") && path.endsWith("/builds")) {
				endpoint = "builder-builds";
				allow(params, "limit", "offset", "order", "field", "property", "complete__eq", "complete");
				int b = Integer.parseInt(path.substring("/api/v2/builders/".length(), path.length() - "/builds".length()))
						- 1;
				body = builderBuilds(b, params);
			}
			else if (path.startsWith("/api/v2/builds/") && path.endsWith("/changes")) {
				endpoint = "changes";
				allow(params, "limit", "offset", "order", "field");
				long id = Long.parseLong(path.substring("/api/v2/builds/".length(), path.length() - "/changes".length()));
				body = changes(id, params);
			}
			else {
				send(response, 404, "{\"error\":\"not found: " + path + "\"}");
				return;
			}
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			count(endpoint, path + ((query != null) ? "?" + query : ""), bytes.length, !params.containsKey("limit"));
			send(response, 200, bytes);
		}
		catch (IllegalArgumentException ex) {
			send(response, 400, "{\"error\":\"" + String.valueOf(ex.getMessage()).replace("\"", "'") + "\"}");
		}
	}

	private void control(HttpServletResponse response, String path, Map<String, List<String>> params)
			throws IOException {
		switch (path) {
			case "/bench/state" -> send(response, 200, state());
			case "/bench/advance" -> {
				if (params.containsKey("seconds")) {
					advanceTo(now() + Math.round(Double.parseDouble(first(params, "seconds", "0")) * 1000), -1);
				}
				else {
					advanceTo(-1, Long.parseLong(first(params, "builds", "0")));
				}
				send(response, 200, state());
			}
			case "/bench/worker" -> {
				int w = Integer.parseInt(first(params, "id", "0")) - 1;
				if (w < 0 || w >= this.fleet.workers) {
					throw new IllegalArgumentException("no worker " + (w + 1));
				}
				boolean connected = Boolean.parseBoolean(first(params, "connected", "true"));
				long at;
				synchronized (this) {
					this.forced.put(w, connected);
					at = now();
					this.stream.worker(w, connected, this.moment);
				}
				send(response, 200, "{\"worker\":\"" + this.fleet.workerName(w) + "\",\"connected\":" + connected
						+ ",\"at\":" + at + "}");
			}
			case "/bench/take" -> send(response, 200, take());
			case "/bench/stop" -> {
				send(response, 200, "{}");
				this.stopped.countDown();
			}
			default -> send(response, 404, "{}");
		}
	}

	/**
	 * For {@code --mode serve}: the fleet's clock follows the real one, moved on every 5 seconds, so that builds start
	 * and finish, and workers connect and disconnect, as a service on the real clock expects.
	 */
	private void followTheClock() {
		Thread ticker = new Thread(() -> {
			while (this.stopped.getCount() > 0) {
				advanceTo(System.currentTimeMillis(), -1);
				try {
					Thread.sleep(5000);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "fake-master-clock");
		ticker.setDaemon(true);
		ticker.start();
	}

	/**
	 * Moves the fleet's clock: to {@code toMillis} (the builds that started before it arrive), or by {@code builds}
	 * new builds (the clock goes to the newest one's start). The WebSocket pushes what happened in between, in order.
	 */
	private synchronized void advanceTo(long toMillis, long builds) {
		Moment before = this.moment;
		Moment after;
		if (builds >= 0) {
			long max = before.maxId() + builds;
			after = new Moment(max, this.fleet.nowMillis(max), before.epoch() + 1);
		}
		else {
			long max = Math.max(before.maxId(), this.fleet.lastBuildBefore(toMillis));
			long to = Math.max(before.nowMillis(), toMillis);
			// Moved on by time, flapping workers change state every half hour of it.
			long flips = Math.floorDiv(to, FLAP_MILLIS) - Math.floorDiv(before.nowMillis(), FLAP_MILLIS);
			after = new Moment(max, to, before.epoch() + flips);
		}
		this.moment = after;
		this.stream.advanced(before, after);
	}

	private String state() {
		Moment m = this.moment;
		return "{\"now\":" + m.nowMillis() + ",\"maxId\":" + m.maxId() + ",\"workers\":" + this.fleet.workers
				+ ",\"builders\":" + this.fleet.builders + ",\"stored\":" + this.fleet.stored + ",\"perDay\":"
				+ this.fleet.perDay + ",\"shape\":\"" + this.fleet.shape + "\",\"fleets\":\""
				+ this.fleetsDir.toString().replace("\\", "/") + "\",\"streams\":" + this.stream.open() + "}";
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

	/**
	 * Counts WebSocket traffic under the endpoint {@code ws}: {@code requests} are upgrades and commands received,
	 * {@code bytes} what was sent to the clients. Not in the request log (the floor replays that with GETs).
	 */
	void countStream(long requests, long bytes) {
		synchronized (this.statsLock) {
			long[] s = this.stats.computeIfAbsent("ws", (e) -> new long[3]);
			s[0] += requests;
			s[1] += bytes;
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
		Moment moment = this.moment;
		int[] range = window(params, this.fleet.workers);
		StringBuilder sb = new StringBuilder(this.fleet.workers * 330).append("{\"meta\":{\"total\":")
			.append(this.fleet.workers)
			.append("},\"workers\":[");
		for (int w = range[0]; w < range[1]; w++) {
			sb.append((w == range[0]) ? "" : ",");
			appendWorker(sb, w, connected(w, moment));
		}
		return sb.append("]}").toString();
	}

	/** One worker as the REST list and the WebSocket's worker events give it (keys sorted, as recorded). */
	void appendWorker(StringBuilder sb, int w, boolean connected) {
		boolean never = this.fleet.profile(w) == SyntheticFleet.Profile.NEVER_CONNECTED;
		sb.append("{\"configured_on\":[");
		int[] builders = this.fleet.builders(w);
		for (int i = 0; i < builders.length; i++) {
			sb.append((i == 0) ? "" : ",").append("{\"builderid\":").append(builders[i] + 1).append(",\"masterid\":1}");
		}
		sb.append("],\"connected_to\":")
			.append(connected ? "[{\"masterid\":1}]" : "[]")
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
		Moment moment = this.moment;
		long max = moment.maxId();
		long now = moment.nowMillis();
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

	void appendBuild(StringBuilder sb, long k, long now, boolean revision, boolean all) {
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
		Moment moment = this.moment;
		long now = moment.nowMillis();
		StringBuilder sb = new StringBuilder("{\"meta\":{},\"steps\":[");
		if (k >= 1 && k <= moment.maxId()) {
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

	/** One active master process; its heartbeat is written at its start and every 60 s after, as Buildbot's. */
	private String masters() {
		long now = now() / 1000;
		long lastActive = MASTER_STARTED_SECONDS + (now - MASTER_STARTED_SECONDS) / 60 * 60;
		return "{\"masters\":[{\"active\":true,\"last_active\":" + lastActive
				+ ",\"masterid\":1,\"name\":\"bench:/srv/buildbot/master\"}],\"meta\":{\"total\":1}}";
	}

	/**
	 * Build requests nobody claims: those of builders whose workers are all gone (never connected, or offline since
	 * before the request). Buildbot collapses a builder's compatible unclaimed requests into the newest by default
	 * ({@code collapseRequests}), so such a builder has one request waiting: for its newest build that found no
	 * worker ({@link SyntheticFleet#workerOf} is -1; the builds list shows those builds without a worker, as this fake
	 * always has). Only {@code claimed=false} and {@code complete=false} are known; filtering on a field that
	 * {@code field=} left out is refused, as Buildbot does.
	 */
	private String buildRequests(Map<String, List<String>> params) {
		Set<String> fields = new TreeSet<>(params.getOrDefault("field", List.of()));
		for (String name : List.of("claimed", "complete")) {
			for (String key : List.of(name, name + "__eq")) {
				if (params.containsKey(key)) {
					String v = first(params, key, "");
					if (!v.equalsIgnoreCase("false") && !v.equals("0")) {
						throw new IllegalArgumentException("fake master: only " + name + "=false is served");
					}
					if (!fields.isEmpty() && !fields.contains(name)) {
						throw new IllegalArgumentException("cannot filter on un-selected fields");
					}
				}
			}
		}
		String order = first(params, "order", "buildrequestid");
		if (!order.equals("buildrequestid")) {
			throw new IllegalArgumentException("fake master: only order=buildrequestid is served");
		}
		Moment moment = this.moment;
		long offset = Long.parseLong(first(params, "offset", "0"));
		long limit = Long.parseLong(first(params, "limit", String.valueOf(Long.MAX_VALUE)));
		int count = this.fleet.builders;
		List<long[]> waiting = new ArrayList<>();
		for (int b = 0; b < count; b++) {
			long since = this.fleet.abandonedSinceMillis(b);
			long firstId = (b == 0) ? count : b;
			if (since == Long.MAX_VALUE || moment.maxId() < firstId) {
				continue;
			}
			long newest = firstId + (moment.maxId() - firstId) / count * count;
			if (this.fleet.startedMillis(newest) >= since) {
				waiting.add(new long[] { newest, b });
			}
		}
		waiting.sort((x, y) -> Long.compare(x[0], y[0]));
		StringBuilder sb = new StringBuilder("{\"buildrequests\":[");
		long written = 0;
		for (int i = (int) Math.min(offset, waiting.size()); i < waiting.size() && written < limit; i++) {
			long k = waiting.get(i)[0];
			Map<String, String> request = new LinkedHashMap<>();
			request.put("builderid", String.valueOf(waiting.get(i)[1] + 1));
			request.put("buildrequestid", String.valueOf(k));
			request.put("buildsetid", String.valueOf(k));
			request.put("claimed", "false");
			request.put("claimed_at", "null");
			request.put("claimed_by_masterid", "null");
			request.put("complete", "false");
			request.put("complete_at", "null");
			request.put("priority", "0");
			request.put("properties", "null");
			request.put("results", "-1");
			request.put("submitted_at", String.valueOf(this.fleet.startedAt(k)));
			request.put("waited_for", "false");
			sb.append((written == 0) ? "{" : ",{");
			appendFields(sb, request, fields);
			sb.append('}');
			written++;
		}
		return sb.append("],\"meta\":{\"total\":").append(waiting.size()).append("}}").toString();
	}

	/**
	 * The builds of one builder, as {@code /api/v2/builders/{id}/builds} gives them: by {@code -complete_at} (the
	 * release dashboard's order), {@code number}, {@code buildid} or their reverse, optionally only the complete ones
	 * ({@code complete__eq=true}).
	 */
	private String builderBuilds(int b, Map<String, List<String>> params) {
		if (b < 0 || b >= this.fleet.builders) {
			throw new IllegalArgumentException("no builder " + (b + 1));
		}
		Moment moment = this.moment;
		long now = moment.nowMillis();
		String complete = params.containsKey("complete__eq") ? first(params, "complete__eq", "")
				: first(params, "complete", null);
		Boolean wantComplete = (complete == null) ? null
				: (complete.equalsIgnoreCase("true") || complete.equals("1"));
		String order = first(params, "order", "buildid");
		long offset = Long.parseLong(first(params, "offset", "0"));
		long limit = Long.parseLong(first(params, "limit", String.valueOf(Long.MAX_VALUE)));
		int count = this.fleet.builders;
		long firstId = (b == 0) ? count : b;
		long newest = (moment.maxId() < firstId) ? -1 : firstId + (moment.maxId() - firstId) / count * count;
		// A build of this builder can finish after a newer one only within the longest build: take that many more.
		long extra = (long) Math.ceil(this.fleet.maxDurationMillis() / (count * this.fleet.spacing * 1000)) + 1;
		boolean descending = order.startsWith("-");
		String key = descending ? order.substring(1) : order;
		if (!List.of("complete_at", "number", "buildid").contains(key)) {
			throw new IllegalArgumentException("fake master: unsupported order " + order);
		}
		List<Long> ids = new ArrayList<>();
		long total = 0;
		for (long k = newest; k >= firstId; k -= count) {
			boolean running = this.fleet.running(k, now);
			if (wantComplete != null && wantComplete == running) {
				continue;
			}
			total++;
			// Newest first: beyond the page (and the builds that may have finished out of order) only counted.
			if (!descending || ids.size() < offset + limit + extra) {
				ids.add(k);
			}
		}
		if (key.equals("complete_at")) {
			ids.sort((x, y) -> {
				long cx = this.fleet.running(x, now) ? Long.MAX_VALUE : this.fleet.completeAt(x);
				long cy = this.fleet.running(y, now) ? Long.MAX_VALUE : this.fleet.completeAt(y);
				return (cx != cy) ? Long.compare(cx, cy) : Long.compare(x, y);
			});
		}
		else {
			ids.sort(Long::compare);
		}
		if (descending) {
			java.util.Collections.reverse(ids);
		}
		List<String> properties = params.getOrDefault("property", List.of());
		boolean revision = properties.contains("got_revision") || properties.contains("*");
		StringBuilder sb = new StringBuilder("{\"builds\":[");
		long written = 0;
		for (int i = (int) Math.min(offset, ids.size()); i < ids.size() && written < limit; i++) {
			sb.append((written == 0) ? "" : ",");
			appendBuild(sb, ids.get(i), now, revision, properties.contains("*"));
			written++;
		}
		return sb.append("],\"meta\":{\"total\":").append(total).append("}}").toString();
	}

	/**
	 * The changes of one build: one a build here, since every builder builds every revision once, with what a
	 * Buildbot change carries (author, comments, files, revision, its source stamp).
	 */
	private String changes(long k, Map<String, List<String>> params) {
		Moment moment = this.moment;
		long limit = Long.parseLong(first(params, "limit", String.valueOf(Long.MAX_VALUE)));
		StringBuilder sb = new StringBuilder("{\"changes\":[");
		if (k >= 1 && k <= moment.maxId() && limit > 0 && Long.parseLong(first(params, "offset", "0")) == 0) {
			long r = this.fleet.revisionNumber(k);
			String rev = this.fleet.revision(k);
			String author = "Contributor " + (r % 500) + " <contributor" + (r % 500) + "@example.org>";
			long when = this.fleet.startedAt(k) - 60;
			sb.append("{\"author\":\"").append(author)
				.append("\",\"branch\":\"main\",\"category\":null,\"changeid\":").append(r + 1)
				.append(",\"codebase\":\"\",\"comments\":\"gh-").append(100000 + r % 50000)
				.append(": synthetic change ").append(r)
				.append(" to the standard library\\n\\nA longer description of the change, as commit messages have, "
						+ "with the reasoning behind it and what it fixes.\\n\\nCo-authored-by: ").append(author)
				.append("\",\"committer\":\"").append(author)
				.append("\",\"files\":[\"Lib/test/test_synthetic_").append(r % 97)
				.append(".py\",\"Lib/synthetic_").append(r % 89).append(".py\",\"Misc/NEWS.d/next/Library/")
				.append(rev, 0, 12).append(".rst\"],\"parent_changeids\":[").append(r)
				.append("],\"project\":\"\",\"properties\":{},\"repository\":\"https://github.com/python/cpython\"")
				.append(",\"revision\":\"").append(rev)
				.append("\",\"revlink\":\"https://github.com/python/cpython/commit/").append(rev)
				.append("\",\"sourcestamp\":{\"branch\":\"main\",\"codebase\":\"\",\"created_at\":").append(when)
				.append(",\"patch\":null,\"project\":\"\",\"repository\":\"https://github.com/python/cpython\",")
				.append("\"revision\":\"").append(rev).append("\",\"ssid\":").append(r + 1)
				.append("},\"when_timestamp\":").append(when).append('}');
		}
		return sb.append("],\"meta\":{}}").toString();
	}

	private static void appendFields(StringBuilder sb, Map<String, String> object, Set<String> fields) {
		boolean firstField = true;
		for (Map.Entry<String, String> e : object.entrySet()) {
			if (fields.isEmpty() || fields.contains(e.getKey())) {
				sb.append(firstField ? "" : ",").append('"').append(e.getKey()).append("\":").append(e.getValue());
				firstField = false;
			}
		}
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

	private static void send(HttpServletResponse response, int status, String body) throws IOException {
		send(response, status, body.getBytes(StandardCharsets.UTF_8));
	}

	private static void send(HttpServletResponse response, int status, byte[] body) throws IOException {
		response.setStatus(status);
		response.setContentType("application/json");
		response.setContentLength(body.length);
		try (OutputStream out = response.getOutputStream()) {
			out.write(body);
		}
	}

}
