package fleethealth.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import javax.sql.DataSource;

import com.sun.management.GarbageCollectionNotificationInfo;
import fleethealth.bench.BenchConfiguration.BenchClock;
import fleethealth.bench.BenchConfiguration.PhaseProbe;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.fleethealth.FleetHealthApplication;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.FleetWorker;
import org.fleethealth.fleet.MasterStatus;
import org.fleethealth.fleet.PollService;
import org.fleethealth.health.ClassificationProperties;
import org.fleethealth.health.ClassificationService;
import org.fleethealth.health.Classifier;
import org.fleethealth.health.Facts;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * One benchmark configuration in its own JVM (so heap and RSS are its own): starts the real fleet-health
 * application (H2 file database, or PostgreSQL) against a running {@link FakeBuildbot}, seeds the history
 * older than the poll lookback straight into the database, then measures the first sync, incremental poll
 * cycles against their fetch-and-parse floor, classification, the Prometheus scrape and memory. Writes one
 * JSON object to {@code --out}.
 */
public final class BenchRun {

	static final String MASTER = "bench";

	static final ObjectMapper json = JsonMapper.builder().build();

	private final Map<String, String> options;

	private final URI api;

	private final HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final Map<String, Object> result = new LinkedHashMap<>();

	private final AtomicLong maxAfterGc = new AtomicLong();

	private final AtomicLong maxAfterGcPhase = new AtomicLong();

	private final AtomicLong maxHeapUsed = new AtomicLong();

	private ConfigurableApplicationContext context;

	private BenchRun(Map<String, String> options) {
		this.options = options;
		this.api = URI.create(options.get("api"));
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		BenchRun run = new BenchRun(options);
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
			Files.writeString(Path.of(options.get("out")), json.writeValueAsString(run.result));
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
		watchGarbageCollections();
		sampleHeap();
		JsonNode state = control("state", "GET");
		int workers = state.get("workers").asInt();
		long stored = state.get("stored").asLong();
		SyntheticFleet fleet = SyntheticFleet.from(state);
		int newBuilds = intOption("new", 10_000);
		int cycles = intOption("cycles", 9);
		int warmup = intOption("warmup", 3);
		String db = this.options.getOrDefault("db", "h2");
		this.result.put("db", db);
		this.result.put("workers", workers);
		this.result.put("builders", state.get("builders").asInt());
		this.result.put("stored", stored);
		this.result.put("perDay", state.get("perDay").asInt());
		this.result.put("newPerCycle", newBuilds);
		this.result.put("xmxMiB", Runtime.getRuntime().maxMemory() >> 20);

		long started = System.nanoTime();
		this.context = start(db, workers);
		this.result.put("startupS", seconds(System.nanoTime() - started));
		BenchClock clock = this.context.getBean(BenchClock.class);
		PollService polls = this.context.getBean(PollService.class);
		PhaseProbe probe = this.context.getBean(PhaseProbe.class);
		MeterRegistry meters = this.context.getBean(MeterRegistry.class);
		clock.set(Instant.ofEpochMilli(state.get("now").asLong()));

		// History older than the lookback: what months of incremental polls would have stored.
		Instant horizon = clock.instant().minus(LOOKBACK);
		long seeded = seed(fleet, horizon);
		this.result.put("seededRows", seeded);

		System.gc();
		resetPeaks();

		// First sync: the heartbeat (creates every worker), then builders, the backfill and the steps.
		control("take", "POST");
		long t0 = System.nanoTime();
		polls.pollWorkers();
		awaitReactions();
		long t1 = System.nanoTime();
		pollSucceeded("first workers poll");
		Map<String, Double> before = pollTimes(meters);
		polls.pollBuilds();
		awaitReactions();
		long t2 = System.nanoTime();
		pollSucceeded("first builds poll");
		Map<String, Double> after = pollTimes(meters);
		JsonNode firstStats = control("take", "POST");
		long total = count("select count(*) from build");
		long backfilled = total - seeded;
		double backfillS = after.get("builds") - before.get("builds");
		this.result.put("firstSyncS", seconds(t2 - t0));
		this.result.put("firstWorkersPollS", seconds(t1 - t0));
		this.result.put("firstBuildsPollS", seconds(t2 - t1));
		this.result.put("backfilledRows", backfilled);
		this.result.put("backfillFetchStoreS", backfillS);
		this.result.put("backfillRowsPerS", backfilled / backfillS);
		this.result.put("firstSyncRowsPerS", backfilled / seconds(t2 - t0));
		this.result.put("firstSyncRequests", requests(firstStats));
		this.result.put("storedAfterFirstSync", total);
		checkCursor(state.get("maxId").asLong());

		// Incremental cycles: N new builds arrive, the heartbeat runs, then one builds poll end to end.
		List<Map<String, Object>> measured = new ArrayList<>();
		int unjudged = 0;
		for (int i = 0; i < warmup + cycles; i++) {
			Map<String, Object> cycle = cycle(clock, polls, probe, meters, newBuilds);
			if (cycle == null) {
				// The first judgement waits for the failing steps of the first sync's failed builds (three builds
				// polls at most): these rounds judge nothing and are neither warm-up nor measured.
				if (++unjudged > 5) {
					throw new IllegalStateException("no judgement after " + unjudged + " builds polls (see the service log)");
				}
				i--;
				continue;
			}
			if (i >= warmup) {
				measured.add(cycle);
			}
			if (i == warmup - 1 || warmup == 0 && i == 0) {
				this.maxAfterGcPhase.set(0);
			}
		}
		this.result.put("cycles", measured);
		this.result.put("cyclesBeforeFirstJudgement", unjudged);
		// The live set: what a full collection cannot free after the cycles.
		System.gc();
		this.result.put("liveHeapMiB",
				heapPools().stream().map(MemoryPoolMXBean::getUsage).mapToLong(MemoryUsage::getUsed).sum() >> 20);
		this.result.put("cycleMaxHeapAfterGcMiB", this.maxAfterGcPhase.get() >> 20);
		this.result.put("storedAfterCycles", count("select count(*) from build"));

		if (this.options.containsKey("histogram")) {
			// What the live heap holds after the cycles (a full GC first): the top of a class histogram.
			Object histogram = ManagementFactory.getPlatformMBeanServer()
				.invoke(new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
						new Object[] { new String[0] }, new String[] { String[].class.getName() });
			Files.writeString(Path.of(this.options.get("histogram")), String.valueOf(histogram));
		}
		classification(clock);
		scrape();
		states();
		memory();
		// Last: listening to the stream adds a connection and its thread to what was measured above.
		this.result.put("latency", Latency.measure(this.context, this.plain, this.api,
				((WebServerApplicationContext) this.context).getWebServer().getPort(), MASTER, fleet, 5));
	}

	/**
	 * The poll lookback. Shorter than the 10 days of history the smallest fleets have (100k builds at 10,000 a
	 * day), so that 100k and 1M stored builds put the same builds inside the lookback and differ only in older
	 * history, which is what "1M costs no more than 100k" is about. With the default 14 days the 1M fleet had 40%
	 * more builds inside the lookback than the 100k one.
	 */
	static final Duration LOOKBACK = Duration.ofDays(9);

	private ConfigurableApplicationContext start(String db, int workers) throws Exception {
		Path dir = Path.of(this.options.getOrDefault("dir", "target/bench/db"));
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
				"--fleet-health.masters[0].name=" + MASTER, "--fleet-health.masters[0].url=" + this.api,
				"--fleet-health.poll.enabled=false", "--fleet-health.poll.page-size=1000",
				"--fleet-health.poll.max-pages-per-poll=1000", "--fleet-health.poll.max-backfill-pages=1000",
				"--fleet-health.poll.lookback=" + LOOKBACK,
				"--fleet-health.buildbot.max-list-size=" + Math.max(5000, 2 * workers),
				"--fleet-health.buildbot.read-timeout=PT120S",
				"--logging.file.name=" + dir.resolveSibling(dir.getFileName() + ".log"),
				"--logging.threshold.console=OFF"));
		if (db.equals("postgres")) {
			// A schema of its own in the shared "test" database, dropped first so every run starts empty.
			String url = "jdbc:postgresql://127.0.0.1:5432/test";
			try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", "");
					Statement s = c.createStatement()) {
				s.execute("drop schema if exists fleet_bench cascade");
				s.execute("create schema fleet_bench");
			}
			args.addAll(List.of("--spring.datasource.url=" + url + "?currentSchema=fleet_bench&reWriteBatchedInserts=true",
					"--spring.datasource.username=postgres", "--spring.datasource.password=",
					"--spring.flyway.schemas=fleet_bench"));
		}
		else {
			deleteRecursively(dir);
			Files.createDirectories(dir);
			// The options of the service's default URL (application.properties), in a directory of its own.
			args.add("--spring.datasource.url=jdbc:h2:file:" + dir.toAbsolutePath().resolve("fleet-health")
					+ ";DB_CLOSE_ON_EXIT=FALSE");
		}
		SpringApplication app = new SpringApplication(FleetHealthApplication.class, BenchConfiguration.class);
		return app.run(args.toArray(String[]::new));
	}

	/** Builds 1..k older than the horizon, inserted as the service stores them, in JDBC batches. */
	private long seed(SyntheticFleet fleet, Instant horizon) throws Exception {
		long last = fleet.lastBuildBefore(horizon.toEpochMilli());
		while (last > 0 && fleet.startedAt(last) * 1000 >= horizon.toEpochMilli()) {
			last--;
		}
		while (fleet.startedAt(last + 1) * 1000 < horizon.toEpochMilli()) {
			last++;
		}
		long started = System.nanoTime();
		DataSource dataSource = this.context.getBean(DataSource.class);
		try (Connection c = dataSource.getConnection()) {
			c.setAutoCommit(false);
			try (PreparedStatement insert = c.prepareStatement("insert into build (master, buildbot_id, number,"
					+ " builder_buildbot_id, worker_buildbot_id, started_at, complete_at, complete, results, revision,"
					+ " state_string, failing_step, steps_fetched) values (?, ?, ?, ?, ?, ?, ?, true, ?, ?, ?, ?, ?)")) {
				for (long k = 1; k <= last; k++) {
					int worker = fleet.workerOf(k);
					String step = fleet.failingStep(k);
					insert.setString(1, MASTER);
					insert.setLong(2, k);
					insert.setInt(3, fleet.numberOf(k));
					insert.setLong(4, fleet.builderOf(k) + 1);
					if (worker >= 0) {
						insert.setLong(5, worker + 1);
					}
					else {
						insert.setNull(5, Types.BIGINT);
					}
					insert.setObject(6, OffsetDateTime.ofInstant(Instant.ofEpochSecond(fleet.startedAt(k)), ZoneOffset.UTC));
					insert.setObject(7, OffsetDateTime.ofInstant(Instant.ofEpochSecond(fleet.completeAt(k)), ZoneOffset.UTC));
					insert.setInt(8, fleet.results(k));
					insert.setString(9, fleet.hasRevision(k) ? fleet.revision(k) : null);
					insert.setString(10, fleet.stateString(k));
					insert.setString(11, step);
					insert.setBoolean(12, step != null);
					insert.addBatch();
					if (k % 5000 == 0) {
						insert.executeBatch();
					}
					if (k % 100_000 == 0) {
						c.commit();
					}
				}
				insert.executeBatch();
				c.commit();
			}
			try (Statement s = c.createStatement()) {
				s.execute("analyze");
			}
			c.commit();
		}
		double s = seconds(System.nanoTime() - started);
		this.result.put("seedS", s);
		this.result.put("seedRowsPerS", last / s);
		System.out.printf("seeded %,d builds older than %s in %.1f s%n", last, horizon, s);
		return last;
	}

	private Map<String, Object> cycle(BenchClock clock, PollService polls, PhaseProbe probe, MeterRegistry meters,
			int newBuilds) throws Exception {
		Map<String, Object> cycle = new LinkedHashMap<>();
		JsonNode state = control("advance?builds=" + newBuilds, "POST");
		clock.set(Instant.ofEpochMilli(state.get("now").asLong()));
		control("take", "POST");
		long hc0 = processCpu();
		long h0 = System.nanoTime();
		polls.pollWorkers();
		awaitReactions();
		cycle.put("heartbeatS", seconds(System.nanoTime() - h0));
		cycle.put("heartbeatCpuS", seconds(processCpu() - hc0));
		pollSucceeded("workers poll");
		JsonNode heartbeat = control("take", "POST");
		cycle.put("heartbeatBytes", heartbeat.get("largestBytes").asLong());

		Map<String, Double> before = pollTimes(meters);
		double[] judgedBefore = judgements(meters);
		int classifications = probe.classifications;
		long c0 = processCpu();
		long g0 = gcMillis();
		long t0 = System.nanoTime();
		polls.pollBuilds();
		long stored = System.nanoTime();
		awaitReactions();
		long t1 = System.nanoTime();
		cycle.put("cycleCpuS", seconds(processCpu() - c0));
		cycle.put("cycleGcS", (gcMillis() - g0) / 1000.0);
		Map<String, Double> after = pollTimes(meters);
		JsonNode stats = control("take", "POST");
		pollSucceeded("builds poll");
		if (classifications == 0 && probe.classifications == 0) {
			return null;
		}
		if (probe.classifications != classifications + 1) {
			throw new IllegalStateException("the poll round classified " + (probe.classifications - classifications)
					+ " times, not once (see the service log)");
		}
		cycle.put("cycleS", seconds(t1 - t0));
		// How many workers the builds poll's round judged again, and kept (issue 18's incremental rounds).
		double[] judgedAfter = judgements(meters);
		cycle.put("judged", judgedAfter[0] - judgedBefore[0]);
		cycle.put("kept", judgedAfter[1] - judgedBefore[1]);
		// The poll job's own thread: fetching and storing; the reactions run after its commit, on the executor.
		cycle.put("pollThreadS", seconds(stored - t0));
		after.forEach((kind, s) -> cycle.put("poll_" + kind + "S", s - before.get(kind)));
		cycle.put("fetchStoreS", seconds(probe.polled - t0));
		cycle.put("classifyS", seconds(probe.classified - probe.polled));
		cycle.put("snapshotS", seconds(t1 - probe.classified));
		cycle.put("requests", requests(stats));
		cycle.put("largestBytes", stats.get("largestBytes").asLong());
		cycle.put("largestEndpoint", stats.get("largestEndpoint").asString());
		cycle.put("unbounded", stats.get("unbounded").asLong());
		List<String> log = new ArrayList<>();
		stats.get("log").forEach((n) -> log.add(n.asString()));
		cycle.put("duplicateRequests", log.size() - new HashSet<>(log).size());
		cycle.put("cursorBehind", checkCursor(state.get("maxId").asLong()));

		// The floor: the same requests, fetched and parsed with a plain client and Jackson, nothing stored.
		long fc0 = processCpu();
		long f0 = System.nanoTime();
		long bytes = 0;
		for (String uri : log) {
			HttpResponse<byte[]> response = this.plain.send(
					HttpRequest.newBuilder(this.api.resolve(uri)).header("Accept", "application/json").GET().build(),
					HttpResponse.BodyHandlers.ofByteArray());
			JsonNode tree = json.readTree(response.body());
			if (response.statusCode() != 200 || tree.isMissingNode()) {
				throw new IllegalStateException("floor request failed: " + uri);
			}
			bytes += response.body().length;
		}
		cycle.put("floorS", seconds(System.nanoTime() - f0));
		cycle.put("floorCpuS", seconds(processCpu() - fc0));
		cycle.put("bytes", bytes);
		control("take", "POST");
		cycle.put("ratio", (double) cycle.get("cycleS") / (double) cycle.get("floorS"));
		cycle.put("cpuRatio", (double) cycle.get("cycleCpuS") / (double) cycle.get("floorCpuS"));
		System.out.printf("cycle %.3f s (CPU %.3f, GC %.3f; fetch+store %.3f, classify %.3f, snapshot %.3f), floor %.3f s (CPU %.3f), %s%n",
				cycle.get("cycleS"), cycle.get("cycleCpuS"), cycle.get("cycleGcS"), cycle.get("fetchStoreS"), cycle.get("classifyS"),
				cycle.get("snapshotS"), cycle.get("floorS"), cycle.get("floorCpuS"), cycle.get("requests"));
		return cycle;
	}

	/** Until the reactions to what the service just did (classification, metrics, gate, ...) have all run. */
	private void awaitReactions() throws InterruptedException {
		this.context.getBean(BenchConfiguration.Reactions.class).awaitIdle(Duration.ofMinutes(5));
	}

	/**
	 * H2 answers a repeated query from its result cache while the tables it reads are unchanged; in service
	 * every poll writes builds, so a measurement first changes the build table.
	 */
	private void touchBuilds() {
		try (Connection c = this.context.getBean(DataSource.class).getConnection();
				Statement s = c.createStatement()) {
			s.executeUpdate("update build set state_string = state_string where id = (select max(id) from build)");
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A failed poll is logged and recorded by the service, not thrown: fail the run with its error. */
	private void pollSucceeded(String what) {
		MasterStatus master = this.context.getBean(FleetQueries.class).master(MASTER).orElseThrow();
		if (master.consecutiveFailures() > 0) {
			String error = String.valueOf(master.lastError());
			throw new IllegalStateException(what + " failed (" + master.lastErrorKind() + "): "
					+ ((error.length() > 300) ? error.substring(0, 300) + "..." : error));
		}
	}

	/** How far the stored cursor is behind the master's newest build (0: everything was read). */
	private long checkCursor(long maxId) {
		MasterStatus master = this.context.getBean(FleetQueries.class).master(MASTER).orElseThrow();
		return maxId - ((master.buildCursor() != null) ? master.buildCursor() : 0);
	}

	private void classification(BenchClock clock) throws InterruptedException {
		ClassificationService service = this.context.getBean(ClassificationService.class);
		List<Double> serviceTimes = new ArrayList<>();
		List<Double> serviceCpu = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			touchBuilds();
			long c0 = processCpu();
			long t0 = System.nanoTime();
			service.classify(MASTER);
			awaitReactions();
			serviceTimes.add(seconds(System.nanoTime() - t0));
			serviceCpu.add(seconds(processCpu() - c0));
		}
		this.result.put("classifyServiceS", median(serviceTimes));
		this.result.put("classifyServiceCpuS", median(serviceCpu));

		// The classifier alone, on the facts the service gathers (same queries, no previous states).
		FleetQueries fleet = this.context.getBean(FleetQueries.class);
		ClassificationProperties properties = this.context.getBean(ClassificationProperties.class);
		Instant now = clock.instant();
		touchBuilds();
		long g0 = System.nanoTime();
		Facts.MasterFacts facts = this.context.getBean(ClassificationService.class).facts(MASTER);
		this.result.put("gatherFactsS", seconds(System.nanoTime() - g0));
		this.result.put("windowBuilds", facts.builds().size());
		List<Double> lastFinished = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			touchBuilds();
			long t0 = System.nanoTime();
			// "Last build finished" is kept on the worker rows now; this is the read that carries it.
			fleet.workers(MASTER).forEach(FleetWorker::lastBuildFinishedAt);
			lastFinished.add(seconds(System.nanoTime() - t0));
		}
		this.result.put("lastBuildFinishedS", median(lastFinished));
		System.out.printf("workers + last build finished %.3f s (median of 5)%n", median(lastFinished));
		Classifier classifier = new Classifier(properties);
		List<Double> pure = new ArrayList<>();
		List<Double> pureCpu = new ArrayList<>();
		java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		for (int i = 0; i < 7; i++) {
			long c0 = threads.getCurrentThreadCpuTime();
			long t0 = System.nanoTime();
			classifier.classify(facts, now);
			pure.add(seconds(System.nanoTime() - t0));
			pureCpu.add(seconds(threads.getCurrentThreadCpuTime() - c0));
		}
		this.result.put("classifyPureS", median(pure));
		this.result.put("classifyPureCpuS", median(pureCpu));
		System.out.printf("classify: service %.3f s (CPU %.3f s), classifier alone %.3f s (CPU %.3f s) over %,d window builds%n",
				median(serviceTimes), median(serviceCpu), median(pure), median(pureCpu), facts.builds().size());
	}

	// What Prometheus 2.x sends: OpenMetrics preferred, text 0.0.4 accepted.
	private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
			+ "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

	/**
	 * Times scrapes in both text formats: as Prometheus asks (OpenMetrics) and as a plain GET (text 0.0.4). The
	 * body is read and counted, not kept: the client runs in the service's JVM, and keeping 12 MB per scrape
	 * would charge its garbage to the service. One more untimed scrape counts the series as it is read.
	 */
	private void scrape() throws Exception {
		int port = ((WebServerApplicationContext) this.context).getWebServer().getPort();
		URI uri = URI.create("http://127.0.0.1:" + port + "/actuator/prometheus");
		Map<String, Double> medians = new LinkedHashMap<>();
		for (String accept : List.of(PROMETHEUS_ACCEPT, "*/*")) {
			List<Double> times = new ArrayList<>();
			byte[] buffer = new byte[64 * 1024];
			for (int i = 0; i < 12; i++) {
				long t0 = System.nanoTime();
				HttpResponse<java.io.InputStream> response = this.plain.send(
						HttpRequest.newBuilder(uri).header("Accept", accept).GET().build(),
						HttpResponse.BodyHandlers.ofInputStream());
				long bytes = 0;
				try (java.io.InputStream in = response.body()) {
					for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
						bytes += n;
					}
				}
				double s = seconds(System.nanoTime() - t0);
				if (response.statusCode() != 200 || bytes == 0) {
					throw new IllegalStateException("scrape answered " + response.statusCode());
				}
				if (i >= 2) {
					times.add(s);
				}
			}
			medians.put(accept.startsWith("application/openmetrics") ? "openmetrics" : "text", median(times));
		}
		// Counted line by line as it arrives: a 16 MB body and its text kept in the service's JVM were what an
		// -Xmx256m run ran out of memory on, and Prometheus keeps nothing of the service's.
		HttpResponse<java.io.InputStream> response = this.plain.send(HttpRequest.newBuilder(uri).GET().build(),
				HttpResponse.BodyHandlers.ofInputStream());
		long bytes = 0;
		long series = 0;
		long fleetSeries = 0;
		try (java.io.BufferedReader lines = new java.io.BufferedReader(
				new java.io.InputStreamReader(response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				bytes += line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
				if (!line.isEmpty() && !line.startsWith("#")) {
					series++;
					fleetSeries += line.startsWith("fleet_") ? 1 : 0;
				}
			}
		}
		double worst = Math.max(medians.get("openmetrics"), medians.get("text"));
		this.result.put("scrapeS", worst);
		this.result.put("scrapeOpenMetricsS", medians.get("openmetrics"));
		this.result.put("scrapeTextS", medians.get("text"));
		this.result.put("scrapeBytes", bytes);
		this.result.put("scrapeSeries", series);
		this.result.put("scrapeFleetSeries", fleetSeries);
		System.out.printf("scrape %.1f ms as Prometheus asks (OpenMetrics), %.1f ms plain (text), %,d bytes%n",
				medians.get("openmetrics") * 1000, medians.get("text") * 1000, bytes);
	}

	private void states() {
		List<WorkerReport> reports = this.context.getBean(WorkerReports.class).workers(MASTER);
		Map<String, Long> byState = new TreeMap<>(
				reports.stream().collect(Collectors.groupingBy((r) -> r.state().label(), Collectors.counting())));
		this.result.put("states", byState);
		System.out.println("states: " + byState);
	}

	// ---- memory

	private static List<MemoryPoolMXBean> heapPools() {
		return ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((p) -> p.getType() == MemoryType.HEAP)
			.toList();
	}

	/** Total heap in use, sampled every 10 ms (per-pool peaks do not happen at the same time). */
	private void sampleHeap() {
		Thread sampler = new Thread(() -> {
			java.lang.management.MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
			while (true) {
				this.maxHeapUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "heap-sampler");
		sampler.setDaemon(true);
		sampler.start();
	}

	private void resetPeaks() throws IOException {
		heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
		this.maxHeapUsed.set(0);
		this.maxAfterGc.set(0);
		this.maxAfterGcPhase.set(0);
		// Resets VmHWM (Linux: "5" clears the peak resident set size of the process).
		Files.writeString(Path.of("/proc/self/clear_refs"), "5");
	}

	private void watchGarbageCollections() {
		Set<String> heap = heapPools().stream().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
				if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
					return;
				}
				GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
					.from((CompositeData) notification.getUserData());
				long used = info.getGcInfo()
					.getMemoryUsageAfterGc()
					.entrySet()
					.stream()
					.filter((e) -> heap.contains(e.getKey()))
					.mapToLong((e) -> e.getValue().getUsed())
					.sum();
				this.maxAfterGc.accumulateAndGet(used, Math::max);
				this.maxAfterGcPhase.accumulateAndGet(used, Math::max);
			}, null, null);
		}
	}

	private void memory() throws IOException {
		long peak = this.maxHeapUsed.get();
		this.result.put("peakHeapUsedMiB", peak >> 20);
		this.result.put("maxHeapAfterGcMiB", this.maxAfterGc.get() >> 20);
		Map<String, Long> status = new HashMap<>();
		for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
			if (line.startsWith("VmHWM:") || line.startsWith("VmRSS:")) {
				status.put(line.substring(0, 5), Long.parseLong(line.replaceAll("\\D", "")) >> 10);
			}
		}
		this.result.put("peakRssMiB", status.get("VmHWM"));
		this.result.put("rssMiB", status.get("VmRSS"));
		System.out.printf("heap peak %d MiB (max after GC %d MiB, live after cycles %d MiB), RSS peak %d MiB%n",
				peak >> 20, this.maxAfterGc.get() >> 20, this.result.get("liveHeapMiB"), status.get("VmHWM"));
	}

	// ---- helpers

	private static Map<String, Double> pollTimes(MeterRegistry meters) {
		Map<String, Double> times = new TreeMap<>();
		for (String kind : List.of("builders", "builds", "steps", "workers")) {
			Timer timer = meters.find("fleet.poll.duration").tags("master", MASTER, "kind", kind).timer();
			times.put(kind, (timer != null) ? timer.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) / 1e9 : 0.0);
		}
		return times;
	}

	/** Workers judged (every kind) and kept by the service's classification rounds so far. */
	private static double[] judgements(MeterRegistry meters) {
		double judged = meters.find("fleet.classification.judged").counters().stream().mapToDouble((c) -> c.count()).sum();
		double kept = meters.find("fleet.classification.kept").counters().stream().mapToDouble((c) -> c.count()).sum();
		return new double[] { judged, kept };
	}

	private static Map<String, Long> requests(JsonNode stats) {
		Map<String, Long> requests = new TreeMap<>();
		stats.get("endpoints").properties().forEach((e) -> requests.put(e.getKey(), e.getValue().get("requests").asLong()));
		return requests;
	}

	private long count(String sql) throws Exception {
		try (Connection c = this.context.getBean(DataSource.class).getConnection();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private JsonNode control(String what, String method) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(this.api.resolve("/bench/" + what))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		return json.readTree(this.plain.send(request, HttpResponse.BodyHandlers.ofString()).body());
	}

	/** Time spent in (young, mixed and full) collections so far, in milliseconds. */
	private static long gcMillis() {
		return ManagementFactory.getGarbageCollectorMXBeans()
			.stream()
			.mapToLong(GarbageCollectorMXBean::getCollectionTime)
			.sum();
	}

	/** CPU time of this whole process (all threads, GC and JIT included), in nanoseconds. */
	private static long processCpu() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	static double seconds(long nanos) {
		return nanos / 1e9;
	}

	static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private static void deleteRecursively(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (var paths = Files.walk(dir)) {
			for (Path p : paths.sorted(Collections.reverseOrder()).toList()) {
				Files.delete(p);
			}
		}
	}

}
