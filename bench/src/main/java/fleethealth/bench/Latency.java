package fleethealth.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.fleethealth.fleet.internal.LiveStreams;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How long a connect or a disconnect on the master takes to show in the service (issue 18): the fake master
 * pushes it on its WebSocket ({@code POST /bench/worker}), and the wall time is taken until {@code /api/workers}
 * says so, then until {@code /actuator/prometheus} does ({@code fleet_worker_connected}). Both are read over HTTP,
 * as a user or Prometheus would; the polls are off, so only the stream can explain what is seen.
 */
final class Latency {

	private static final long TIMEOUT_NANOS = 30_000_000_000L;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http;

	private final URI master;

	private final URI service;

	private Latency(HttpClient http, URI master, URI service) {
		this.http = http;
		this.master = master;
		this.service = service;
	}

	/**
	 * Drops and brings back {@code workers} connected workers one after the other.
	 *
	 * @return {@code apiS} and {@code metricS}: the seconds of each event (null where 30 s passed without it),
	 * and {@code events}
	 */
	static Map<String, Object> measure(ConfigurableApplicationContext context, HttpClient http, URI master, int port,
			String masterName, SyntheticFleet fleet, int workers) throws Exception {
		Latency latency = new Latency(http, master, URI.create("http://127.0.0.1:" + port));
		LiveStreams streams = context.getBean(LiveStreams.class);
		streams.listen();
		long started = System.nanoTime();
		while (!streams.isLive(masterName)) {
			if (System.nanoTime() - started > TIMEOUT_NANOS) {
				throw new IllegalStateException("the fake master's stream did not come up in 30 s");
			}
			Thread.sleep(10);
		}
		Set<String> connectedNow = context.getBean(WorkerReports.class)
			.workers(masterName)
			.stream()
			.filter(WorkerReport::connected)
			.map(WorkerReport::name)
			.collect(Collectors.toSet());
		List<Double> api = new ArrayList<>();
		List<Double> metric = new ArrayList<>();
		BenchConfiguration.BenchClock clock = context.getBean(BenchConfiguration.BenchClock.class);
		int done = 0;
		for (int w = 0; w < fleet.workers && done < workers; w++) {
			String name = fleet.workerName(w);
			if (!connectedNow.contains(name)) {
				continue;
			}
			done++;
			for (boolean connected : new boolean[] { false, true }) {
				// The service's clock follows the fake master's, which stands still between cycles: a minute passes
				// between two events, as on a master where they are not one burst.
				clock.set(clock.instant().plusSeconds(60));
				// The fake master numbers its workers from 1 in the fleet's order.
				double[] seconds = latency.event(masterName, w + 1, name, connected);
				api.add((seconds[0] < 0) ? null : seconds[0]);
				metric.add((seconds[1] < 0) ? null : seconds[1]);
			}
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("events", api.size());
		result.put("apiS", api);
		result.put("metricS", metric);
		System.out.printf("latency of %d connects and disconnects heard live: /api/workers %s s, /actuator/prometheus %s s%n",
				api.size(), api, metric);
		return result;
	}

	/** Seconds until the API, then the scrape, show it; -1 for one that did not within 30 s. */
	private double[] event(String masterName, int id, String name, boolean connected) throws Exception {
		long t0 = System.nanoTime();
		JsonNode pushed = post("/bench/worker?id=" + id + "&connected=" + connected);
		if (!pushed.path("worker").asString().equals(name)) {
			throw new IllegalStateException("the fake master's worker " + id + " is " + pushed + ", not " + name);
		}
		String path = "/api/workers/" + masterName + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
		double api = until(t0, () -> JSON.readTree(get(path, "application/json")),
				(n) -> n.path("connected").asBoolean() == connected);
		String line = "fleet_worker_connected{master=\"" + masterName + "\",worker=\"" + name + "\"} "
				+ (connected ? "1.0" : "0.0");
		double metric = until(t0, () -> scrapeHas(line), (found) -> found);
		return new double[] { api, metric };
	}

	private <T> double until(long t0, Read<T> read, Predicate<T> seen) throws Exception {
		while (System.nanoTime() - t0 < TIMEOUT_NANOS) {
			if (seen.test(read.read())) {
				return (System.nanoTime() - t0) / 1e9;
			}
			Thread.sleep(5);
		}
		return -1;
	}

	/**
	 * Whether a scrape has the line, read line by line: this client runs in the service's JVM, and a scrape of 10,000
	 * workers read as one string (16 MB of bytes, then of chars) every few milliseconds was heap the service did not
	 * use (a {@code -Xmx256m} run ran out of it here).
	 */
	private boolean scrapeHas(String line) throws Exception {
		try (java.util.stream.Stream<String> lines = this.http
			.send(HttpRequest.newBuilder(this.service.resolve("/actuator/prometheus")).header("Accept", "*/*").GET().build(),
					HttpResponse.BodyHandlers.ofLines())
			.body()) {
			return lines.anyMatch((l) -> l.contains(line));
		}
	}

	private String get(String path, String accept) throws Exception {
		return this.http.send(HttpRequest.newBuilder(this.service.resolve(path)).header("Accept", accept).GET().build(),
				HttpResponse.BodyHandlers.ofString()).body();
	}

	private JsonNode post(String pathAndQuery) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(this.master.resolve(pathAndQuery))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		return JSON.readTree(this.http.send(request, HttpResponse.BodyHandlers.ofString()).body());
	}

	private interface Read<T> {

		T read() throws Exception;

	}

}
