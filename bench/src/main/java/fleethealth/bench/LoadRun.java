package fleethealth.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import fleethealth.bench.BenchConfiguration.BenchClock;
import org.fleethealth.FleetHealthApplication;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.MasterStatus;
import org.fleethealth.fleet.PollService;
import org.fleethealth.fleet.internal.LiveStreams;
import org.fleethealth.source.FleetSource;
import org.fleethealth.source.FleetSources;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceStream;
import org.fleethealth.source.SourceStreamListener;
import org.fleethealth.source.SourceStreamStatus;
import org.fleethealth.source.SourceWorker;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The load on a master, side by side (issue 18, "Polite to masters"), in its own JVM against a running
 * {@link FakeBuildbot} of CPython's shape. Over simulated hours of normal operation (the fake master's clock moved on
 * a minute at a time, builds arriving at the fleet's rate) it counts the requests and bytes the master answers for:
 * <ol>
 * <li>fleet-health polling at its default intervals: the real service ({@link PollService}, default settings) with a
 * workers poll every minute and a builds poll every two, as its Quartz jobs run them;</li>
 * <li>CPython's release dashboard ({@code python/buildmaster-config}, {@code master/custom/release_dashboard.py}),
 * refreshed every 6 minutes: the workers and builders, the last 200 finished builds of every builder of a supported
 * branch, and the changes of the builds it shows on stable builders in trouble. The dashboard runs inside the master
 * and reads the data API in-process; here the same reads are sent as the equivalent REST requests;</li>
 * <li>what issue 18 plans (not wired yet): the event stream (the real {@code BuildbotStream}, subscribed to workers
 * and builds) plus reconciling polls every 10 minutes.</li>
 * </ol>
 * A warm-up (the first sync, then {@code --warmup-min} minutes of polling) is not counted. Writes one JSON object to
 * {@code --out}.
 */
public final class LoadRun {

	static final String MASTER = "bench";

	/**
	 * The branches the dashboard shows: those not end-of-life in PEP's release cycle when the fleet file was taken
	 * (2026-08), {@code 3.x} standing for main. Builders of other branches ({@code PullRequest}) are on no branch,
	 * and the dashboard never reads their builds.
	 */
	static final Set<String> DASHBOARD_BRANCHES = Set.of("3.x", "3.15", "3.14", "3.13", "3.12", "3.11", "3.10");

	/** {@code N_BUILDS} and {@code MAX_CHANGES} of release_dashboard.py. */
	static final int N_BUILDS = 200;

	static final int MAX_CHANGES = 50;

	private final Map<String, String> options;

	private final URI api;

	private final HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final Map<String, Object> result = new LinkedHashMap<>();

	private ConfigurableApplicationContext context;

	private BenchClock clock;

	private LoadRun(Map<String, String> options) {
		this.options = options;
		this.api = URI.create(options.get("api"));
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		LoadRun run = new LoadRun(options);
		int status = 0;
		try {
			run.run();
		}
		catch (Throwable ex) {
			ex.printStackTrace();
			run.result.put("error", String.valueOf(ex));
			status = 1;
		}
		finally {
			Files.writeString(Path.of(options.get("out")), BenchRun.json.writeValueAsString(run.result));
			if (run.context != null) {
				run.context.close();
			}
		}
		System.exit(status);
	}

	private int intOption(String name, int otherwise) {
		return Integer.parseInt(this.options.getOrDefault(name, String.valueOf(otherwise)));
	}

	private void run() throws Exception {
		JsonNode state = control("state", "GET");
		this.result.put("shape", state.path("shape").asString());
		this.result.put("workers", state.get("workers").asInt());
		this.result.put("builders", state.get("builders").asInt());
		this.result.put("stored", state.get("stored").asLong());
		this.result.put("perDay", state.get("perDay").asInt());
		int minutes = intOption("minutes", 60);
		int warmup = intOption("warmup-min", 10);
		int dashboardEvery = intOption("dashboard-every-min", 6);
		int reconcileEvery = intOption("reconcile-every-min", 10);
		this.result.put("minutes", minutes);
		this.result.put("dashboardEveryMin", dashboardEvery);
		this.result.put("reconcileEveryMin", reconcileEvery);

		this.context = start();
		this.clock = this.context.getBean(BenchClock.class);
		PollService polls = this.context.getBean(PollService.class);
		this.clock.set(Instant.ofEpochMilli(state.get("now").asLong()));

		// First sync (not counted in the hours): what a new fleet-health does once.
		control("take", "POST");
		long t0 = System.nanoTime();
		polls.pollWorkers();
		settle();
		pollSucceeded("first workers poll");
		polls.pollBuilds();
		settle();
		pollSucceeded("first builds poll");
		this.result.put("firstSyncS", BenchRun.seconds(System.nanoTime() - t0));
		this.result.put("firstSync", endpoints(control("take", "POST")));
		for (int m = 1; m <= warmup; m++) {
			minute();
			polls.pollWorkers();
			settle();
			if (m % 2 == 0) {
				polls.pollBuilds();
				settle();
			}
		}
		pollSucceeded("warm-up polls");
		control("take", "POST");

		// (b) fleet-health polling at its default intervals.
		long c0 = processCpu();
		for (int m = 1; m <= minutes; m++) {
			minute();
			polls.pollWorkers();
			settle();
			pollSucceeded("workers poll");
			if (m % 2 == 0) {
				polls.pollBuilds();
				settle();
				pollSucceeded("builds poll");
			}
		}
		this.result.put("pollingCpuS", BenchRun.seconds(processCpu() - c0));
		this.result.put("polling", endpoints(control("take", "POST")));
		System.out.println("fleet-health polling: " + this.result.get("polling"));

		// (c) heard live, as the service does it (LiveStreams): its stream stores connects and disconnects and asks
		// for a builds poll a second after builds start or finish, no sooner than stream-builds-interval after the
		// last one by the service's clock (which this harness moves); the poll jobs run at their default intervals and
		// read a master heard live as they do then (the workers list, builders, builds and, with one process, the
		// master processes every reconcile-interval; the waiting build requests every minute).
		LiveStreams streams = this.context.getBean(LiveStreams.class);
		streams.listen();
		long upBy = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!streams.isLive(MASTER) && System.nanoTime() < upBy) {
			Thread.sleep(20);
		}
		// Its reconciliation when the stream came up, then a clean count.
		Thread.sleep(2000);
		control("take", "POST");
		long s0 = processCpu();
		for (int m = 1; m <= minutes; m++) {
			minute();
			// The stream's events are handled on the service's own threads: the builds poll they ask for runs a
			// second after them, in real time.
			Thread.sleep(1500);
			polls.pollWorkers();
			settle();
			pollSucceeded("workers poll");
			if (m % 2 == 0) {
				polls.pollBuilds();
				settle();
				pollSucceeded("builds poll");
			}
		}
		// The last minute's builds poll, asked for a second after its events.
		Thread.sleep(1500);
		this.result.put("streamCpuS", BenchRun.seconds(processCpu() - s0));
		this.result.put("stream", endpoints(control("take", "POST")));
		this.result.put("streamStatus", String.valueOf(streams.status(MASTER).map((s) -> s.state()).orElse(null)));
		// The dashboard's hour is counted without the service's stream.
		streams.stop();
		System.out.println("heard live: " + this.result.get("stream"));

		// (a) the release dashboard, refreshed every 6 minutes.
		Map<String, Long> problems = new TreeMap<>();
		for (int m = 1; m <= minutes; m++) {
			minute();
			if (m % dashboardEvery == 0) {
				dashboard(problems);
			}
		}
		this.result.put("dashboard", endpoints(control("take", "POST")));
		this.result.put("dashboardProblems", problems);
		System.out.println("release dashboard: " + this.result.get("dashboard"));
	}

	private ConfigurableApplicationContext start() throws Exception {
		Path dir = Path.of(this.options.getOrDefault("dir", "target/bench/load-db"));
		BenchMain.deleteRecursively(dir);
		Files.createDirectories(dir);
		// The service's defaults (intervals aside: the harness calls the polls), an H2 file database of its own.
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
				"--fleet-health.masters[0].name=" + MASTER, "--fleet-health.masters[0].url=" + this.api,
				"--fleet-health.poll.enabled=false",
				"--fleet-health.poll.reconcile-interval=PT" + intOption("reconcile-every-min", 10) + "M",
				"--logging.file.name=" + dir.resolveSibling(dir.getFileName() + ".log"),
				"--logging.threshold.console=OFF",
				"--spring.datasource.url=jdbc:h2:file:" + dir.toAbsolutePath().resolve("fleet-health")
						+ ";DB_CLOSE_ON_EXIT=FALSE"));
		SpringApplication app = new SpringApplication(FleetHealthApplication.class, BenchConfiguration.class);
		return app.run(args.toArray(String[]::new));
	}

	/** Until the service's reactions to a poll (classification and what follows it) have run, as between polls. */
	private void settle() throws InterruptedException {
		this.context.getBean(BenchConfiguration.Reactions.class).awaitIdle(Duration.ofMinutes(5));
	}

	/** One minute of the fleet: the master's clock moves on, and the service's with it. */
	private void minute() throws Exception {
		JsonNode state = control("advance?seconds=60", "POST");
		this.clock.set(Instant.ofEpochMilli(state.get("now").asLong()));
	}

	/**
	 * One refresh of the release dashboard, as {@code DashboardState} reads the data API: {@code /workers} and
	 * {@code /builders} (no limit), for every builder some worker is configured on and whose branch the dashboard
	 * shows the last {@value #N_BUILDS} finished builds by {@code -complete_at}, and for the builds it shows with
	 * their changes (latest and breaking build of a failing stable builder, the latest of a warning one) at most
	 * {@value #MAX_CHANGES} changes.
	 */
	private void dashboard(Map<String, Long> problems) throws Exception {
		JsonNode workers = get("api/v2/workers").path("workers");
		JsonNode builders = get("api/v2/builders").path("builders");
		Set<Long> active = new LinkedHashSet<>();
		workers.forEach((w) -> w.path("configured_on").forEach((c) -> active.add(c.path("builderid").asLong())));
		boolean cpython = "cpython".equals(this.result.get("shape"));
		for (JsonNode builder : builders) {
			long id = builder.path("builderid").asLong();
			Set<String> tags = new LinkedHashSet<>();
			builder.path("tags").forEach((t) -> tags.add(t.asString()));
			if (!active.contains(id) || (cpython && tags.stream().noneMatch(DASHBOARD_BRANCHES::contains))) {
				continue;
			}
			JsonNode builds = get("api/v2/builders/" + id + "/builds?complete__eq=true&order=-complete_at&limit="
					+ N_BUILDS).path("builds");
			List<JsonNode> interesting = new ArrayList<>();
			builds.forEach((b) -> {
				int results = b.path("results").asInt(-1);
				if (results == 0 || results == 1 || results == 2) {
					interesting.add(b);
				}
			});
			if (interesting.isEmpty()) {
				problems.merge("no builds", 1L, Long::sum);
				continue;
			}
			JsonNode latest = interesting.get(0);
			List<Long> shown = new ArrayList<>();
			int latestResults = latest.path("results").asInt();
			if (latestResults == 1) {
				problems.merge("warnings", 1L, Long::sum);
				shown.add(latest.path("buildid").asLong());
			}
			else if (latestResults == 2) {
				problems.merge("failure", 1L, Long::sum);
				shown.add(latest.path("buildid").asLong());
				JsonNode firstFailing = null;
				boolean passed = false;
				for (JsonNode b : interesting) {
					if (b.path("results").asInt() == 2) {
						firstFailing = b;
					}
					else if (b.path("results").asInt() == 0) {
						passed = true;
						break;
					}
				}
				if (passed && firstFailing != null && firstFailing.path("buildid").asLong() != latest.path("buildid")
					.asLong()) {
					shown.add(firstFailing.path("buildid").asLong());
				}
			}
			// Changes are shown for stable builders only (build_info in releasedashboard.html).
			if (tags.contains("stable")) {
				for (long buildId : shown) {
					get("api/v2/builds/" + buildId + "/changes?limit=" + MAX_CHANGES);
				}
			}
		}
	}

	private JsonNode get(String path) throws Exception {
		HttpResponse<byte[]> response = this.plain.send(
				HttpRequest.newBuilder(this.api.resolve(path)).header("Accept", "application/json").GET().build(),
				HttpResponse.BodyHandlers.ofByteArray());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
					+ new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
		}
		return BenchRun.json.readTree(response.body());
	}

	private void awaitUp(SourceStream stream) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (stream.status().state() != SourceStreamStatus.State.UP) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the stream did not come up: " + stream.status());
			}
			Thread.sleep(20);
		}
	}

	/** Waits until no event arrived for half a second (the fake master has sent everything before it answers). */
	private void awaitQuiet(Counting counting) throws InterruptedException {
		long last = -1;
		while (counting.total.get() != last) {
			last = counting.total.get();
			Thread.sleep(500);
		}
	}

	/** A failed poll is logged and recorded by the service, not thrown: fail the run with its error. */
	private void pollSucceeded(String what) {
		MasterStatus master = this.context.getBean(FleetQueries.class).master(MASTER).orElseThrow();
		if (master.consecutiveFailures() > 0) {
			throw new IllegalStateException(what + " failed (" + master.lastErrorKind() + "): "
					+ master.lastError());
		}
	}

	/** Requests and bytes per endpoint from a {@code /bench/take}, and the unbounded requests. */
	private static Map<String, Object> endpoints(JsonNode stats) {
		Map<String, Object> out = new LinkedHashMap<>();
		long requests = 0;
		long bytes = 0;
		Map<String, Map<String, Long>> by = new TreeMap<>();
		for (Map.Entry<String, JsonNode> e : stats.get("endpoints").properties()) {
			long r = e.getValue().get("requests").asLong();
			long b = e.getValue().get("bytes").asLong();
			by.put(e.getKey(), Map.of("requests", r, "bytes", b));
			requests += r;
			bytes += b;
		}
		out.put("requests", requests);
		out.put("bytes", bytes);
		out.put("unbounded", stats.get("unbounded").asLong());
		out.put("endpoints", by);
		return out;
	}

	private JsonNode control(String what, String method) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(this.api.resolve("/bench/" + what))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		return BenchRun.json.readTree(this.plain.send(request, HttpResponse.BodyHandlers.ofString()).body());
	}

	private static long processCpu() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/** Counts what the stream delivers, by kind. */
	private static final class Counting implements SourceStreamListener {

		private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

		final AtomicLong total = new AtomicLong();

		private void count(String kind) {
			this.counts.computeIfAbsent(kind, (k) -> new AtomicLong()).incrementAndGet();
			this.total.incrementAndGet();
		}

		Map<String, Long> counts() {
			Map<String, Long> out = new TreeMap<>();
			this.counts.forEach((k, v) -> out.put(k, v.get()));
			return out;
		}

		@Override
		public void workerConnected(SourceWorker worker, Instant receivedAt) {
			count("workerConnected");
		}

		@Override
		public void workerDisconnected(SourceWorker worker, Instant receivedAt) {
			count("workerDisconnected");
		}

		@Override
		public void workerStateUpdated(SourceWorker worker, Instant receivedAt) {
			count("workerStateUpdated");
		}

		@Override
		public void buildStarted(SourceBuild build, Instant receivedAt) {
			count("buildStarted");
		}

		@Override
		public void buildFinished(SourceBuild build, Instant receivedAt) {
			count("buildFinished");
		}

		@Override
		public void streamUp(Instant at) {
			count("streamUp");
		}

		@Override
		public void streamDown(SourceStreamStatus status, Duration retryIn) {
			count("streamDown");
		}

	}

}
