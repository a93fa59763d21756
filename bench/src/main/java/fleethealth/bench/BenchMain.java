package fleethealth.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/**
 * The benchmark driver: for each database, fleet size and history size it starts a {@link FakeBuildbot}
 * and a {@link BenchRun} in separate JVMs, collects their results and writes {@code bench/RESULTS.md}.
 * Options: {@code --workers 100,1000,10000 --stored 100000,1000000 --db h2[,postgres] --new 10000
 * --cycles 9 --warmup 3 --xmx 512m --out bench/RESULTS.md --timeout-min 45}, and the fleet's shape:
 * {@code --shape synthetic[,cpython,llvm] --per-day N --fleets ../shared/fleets} (a real shape has its own size, so
 * {@code --workers} is not used for it). {@code --mode load} measures the load on a master instead ({@link LoadRun}):
 * {@code --shape cpython --minutes 60}, and writes its section of {@code RESULTS.md}.
 */
public final class BenchMain {

	public static void main(String[] args) throws Exception {
		Map<String, String> o = new LinkedHashMap<>(Map.of("workers", "100,1000,10000", "stored", "100000,1000000",
				"db", "h2", "new", "10000", "cycles", "9", "warmup", "3", "xmx", "512m", "out", "bench/RESULTS.md",
				"timeout-min", "45"));
		for (int i = 0; i + 1 < args.length; i += 2) {
			o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		String classpath = System.getProperty("java.class.path");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Path work = Path.of("target", "bench");
		Files.createDirectories(work);
		Path out = Path.of(o.get("out"));
		if (o.getOrDefault("mode", "bench").equals("serve")) {
			serve(java, classpath, work, o, List.of(args));
			return;
		}
		if (o.getOrDefault("mode", "bench").equals("load")) {
			LoadReport.write(out, load(java, classpath, work, o), String.join(" ", args));
			System.out.println("Wrote the load section of " + out.toAbsolutePath());
			return;
		}
		List<JsonNode> results = new ArrayList<>();
		for (String db : o.get("db").split(",")) {
			for (String stored : o.get("stored").split(",")) {
				for (String shape : o.getOrDefault("shape", "synthetic").split(",")) {
					List<String> sizes = shape.equals("synthetic") ? List.of(o.get("workers").split(",")) : List.of("0");
					for (String workers : sizes) {
						String name = db + "-" + (shape.equals("synthetic") ? workers : shape) + "-" + stored;
						System.out.printf("%n=== %s: %s, %s stored builds ===%n", db,
								shape.equals("synthetic") ? workers + " workers" : shape + "'s shape", stored);
						results.add(runOne(java, classpath, work, name, db, workers, stored, shape, o));
					}
				}
			}
		}
		String report = LoadReport.keepSection(out, Report.markdown(results, o, String.join(" ", args)));
		Files.writeString(out, report);
		System.out.println();
		System.out.println(report);
		System.out.println("Wrote " + out.toAbsolutePath());
	}

	/** Starts a fake master in its own JVM; its base URL is {@code api[0]} once it listens. */
	private static Process fake(String java, String classpath, String workers, String stored, String shape,
			Map<String, String> o, String[] api, String... jvmOptions) throws Exception {
		List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC"));
		command.addAll(List.of(jvmOptions));
		command.addAll(List.of("-cp", classpath, FakeBuildbot.class.getName(), workers, stored, shape,
				o.getOrDefault("per-day", "0"), o.getOrDefault("fleets", FleetShapes.DEFAULT_DIR.toString())));
		Process fake = new ProcessBuilder(command).redirectErrorStream(true).start();
		BufferedReader lines = new BufferedReader(new InputStreamReader(fake.getInputStream(), StandardCharsets.UTF_8));
		StringBuilder said = new StringBuilder();
		for (String line = lines.readLine(); line != null; line = lines.readLine()) {
			if (line.startsWith("LISTENING ")) {
				api[0] = "http://127.0.0.1:" + line.substring("LISTENING ".length()).trim() + "/";
				// Whatever it says later goes to this console.
				Thread drain = new Thread(() -> lines.lines().forEach(System.out::println), "fake-master-output");
				drain.setDaemon(true);
				drain.start();
				return fake;
			}
			said.append(line).append('\n');
		}
		fake.destroy();
		throw new IllegalStateException("fake master did not start:\n" + said);
	}

	private static void stopFake(Process fake, String api) throws Exception {
		try {
			HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(api + "bench/stop")).POST(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.discarding());
		}
		catch (Exception ex) {
			// already gone
		}
		if (!fake.waitFor(10, TimeUnit.SECONDS)) {
			fake.destroyForcibly().waitFor();
		}
	}

	/**
	 * {@code --mode serve}: a fake master of a real fleet's shape ({@code --shape cpython} or {@code llvm}, or
	 * {@code synthetic} with {@code --workers}) on the real clock, with {@code --stored} builds of history ending now
	 * (30 days at the shape's rate by default), for trying the service at that size by hand. Writes a properties file
	 * that points the service at it, and serves until stopped (Ctrl-C).
	 */
	private static void serve(String java, String classpath, Path work, Map<String, String> o, List<String> given)
			throws Exception {
		String shape = o.getOrDefault("shape", "cpython");
		boolean synthetic = shape.equals("synthetic");
		int perDay = Integer.parseInt(o.getOrDefault("per-day", "0"));
		String workers = synthetic ? o.getOrDefault("workers", "100").split(",")[0] : "0";
		String stored = given.contains("--stored") ? o.get("stored").split(",")[0]
				: String.valueOf(30L * ((perDay > 0) ? perDay
						: synthetic ? Math.min(Integer.parseInt(workers) * 10, 10_000) : FleetShapes.defaultPerDay(shape)));
		String[] api = new String[1];
		// The service is started from the same checkout while this runs, and its build compiles the tests again
		// without the bench sources: the fake master runs from a copy of its classes, not from target/test-classes.
		Path classes = copyOfBenchClasses(work.resolve("serve-classes"));
		Process fake = fake(java, classes + File.pathSeparator + classpath, workers, stored, shape, o, api,
				"-Dbench.anchor=" + Instant.now().getEpochSecond(), "-Dbench.realtime=true");
		Runtime.getRuntime().addShutdownHook(new Thread(fake::destroy));
		String name = synthetic ? "synthetic" : shape;
		Path properties = work.resolve("serve-" + name + ".properties").toAbsolutePath();
		Files.writeString(properties, "# fleet-health configuration for the fake master (./mvnw -Pbench verify"
				+ " -Dbench.args=\"--mode serve ...\")\nfleet-health.masters[0].name=" + name
				+ "\nfleet-health.masters[0].url=" + api[0] + "\n");
		System.out.printf("%nA fake master of %s's shape (%s builds of history, on the real clock) at %s%n"
				+ "Point the service at it:%n  ./mvnw spring-boot:run"
				+ " -Dspring-boot.run.arguments=--spring.config.additional-location=file:%s%n"
				+ "Ctrl-C stops it.%n", name, stored, api[0], properties);
		System.exit(fake.waitFor());
	}

	/** Copies the compiled bench package (this class's) into {@code into}; answers {@code into}. */
	private static Path copyOfBenchClasses(Path into) throws Exception {
		Path root = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		Path from = root.resolve(BenchMain.class.getPackageName().replace('.', '/'));
		Path to = into.resolve(BenchMain.class.getPackageName().replace('.', '/'));
		FileSystemUtils.deleteRecursively(into);
		Files.createDirectories(to);
		try (var files = Files.list(from)) {
			for (Path f : files.toList()) {
				Files.copy(f, to.resolve(f.getFileName().toString()));
			}
		}
		return into.toAbsolutePath();
	}

	/** The load on a master ({@link LoadRun}): a fake master of the shape, the service in a JVM of its own. */
	private static JsonNode load(String java, String classpath, Path work, Map<String, String> o) throws Exception {
		String shape = o.getOrDefault("shape", "cpython");
		int perDay = Integer.parseInt(o.getOrDefault("per-day", "0"));
		// A year of history unless --stored says: enough for the dashboard's 200 builds of every builder.
		String stored = o.containsKey("stored-load") ? o.get("stored-load")
				: String.valueOf(365L * ((perDay > 0) ? perDay : FleetShapes.defaultPerDay(shape)));
		String[] api = new String[1];
		Process fake = fake(java, classpath, "0", stored, shape, o, api);
		Path out = work.resolve("load-" + shape + ".json");
		Files.deleteIfExists(out);
		List<String> command = new ArrayList<>(List.of(java, "-Xmx" + o.get("xmx"), "-XX:+UseG1GC"));
		if (o.containsKey("jvm")) {
			// As for a single run: e.g. a flight recording of the load run's service.
			command.addAll(List.of(o.get("jvm").replace("{name}", "load-" + shape).split(" ")));
		}
		command.addAll(List.of("-cp", classpath, LoadRun.class.getName(), "--api", api[0], "--out", out.toString(),
				"--dir", work.resolve("load-" + shape).toString()));
		for (String option : List.of("minutes", "warmup-min", "dashboard-every-min", "reconcile-every-min")) {
			if (o.containsKey(option)) {
				command.addAll(List.of("--" + option, o.get(option)));
			}
		}
		Process run = new ProcessBuilder(command).inheritIO().start();
		boolean finished = run.waitFor(Long.parseLong(o.get("timeout-min")), TimeUnit.MINUTES);
		if (!finished) {
			run.destroyForcibly().waitFor();
		}
		stopFake(fake, api[0]);
		deleteRecursively(work.resolve("load-" + shape));
		if (!finished || !Files.exists(out)) {
			throw new IllegalStateException("the load run " + (finished ? "wrote no result" : "timed out"));
		}
		return BenchRun.json.readTree(Files.readString(out));
	}

	private static JsonNode runOne(String java, String classpath, Path work, String name, String db, String workers,
			String stored, String shape, Map<String, String> o) throws Exception {
		String[] apiHolder = new String[1];
		Process fake = fake(java, classpath, workers, stored, shape, o, apiHolder);
		String api = apiHolder[0];
		Path out = work.resolve(name + ".json");
		Files.deleteIfExists(out);
		// A service out of heap ends the run at once (it is reported as failed), rather than hanging until the timeout
		// with the database file still locked.
		List<String> command = new ArrayList<>(
				List.of(java, "-Xmx" + o.get("xmx"), "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError"));
		if (o.containsKey("jvm")) {
			// Extra options for the service JVM, e.g. a flight recording: --jvm "-XX:StartFlightRecording=..."
			command.addAll(List.of(o.get("jvm").replace("{name}", name).split(" ")));
		}
		command.addAll(List.of("-cp", classpath, BenchRun.class.getName(), "--api", api, "--db", db, "--new",
				o.get("new"), "--cycles", o.get("cycles"), "--warmup", o.get("warmup"), "--dir",
				work.resolve(name).toString(), "--out", out.toString()));
		if (o.containsKey("histogram")) {
			command.addAll(List.of("--histogram", work.resolve(name + ".histogram.txt").toString()));
		}
		Process run = new ProcessBuilder(command).inheritIO().start();
		boolean finished = run.waitFor(Long.parseLong(o.get("timeout-min")), TimeUnit.MINUTES);
		if (!finished) {
			run.destroyForcibly().waitFor();
		}
		stopFake(fake, api);
		deleteRecursively(work.resolve(name));
		if (!finished) {
			return BenchRun.json.readTree("{\"db\":\"" + db + "\",\"workers\":" + workers + ",\"stored\":" + stored
					+ ",\"error\":\"timed out after " + o.get("timeout-min") + " min\"}");
		}
		if (!Files.exists(out)) {
			return BenchRun.json.readTree("{\"db\":\"" + db + "\",\"workers\":" + workers + ",\"stored\":" + stored
					+ ",\"error\":\"no result (exit " + run.exitValue()
					+ ((run.exitValue() == 3) ? ", out of heap: -XX:+ExitOnOutOfMemoryError" : "") + ")\"}");
		}
		return BenchRun.json.readTree(Files.readString(out));
	}

	static void deleteRecursively(Path dir) throws java.io.IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (var paths = Files.walk(dir)) {
			for (Path p : paths.sorted(java.util.Collections.reverseOrder()).toList()) {
				Files.delete(p);
			}
		}
	}

	static String now() {
		return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT));
	}

}
