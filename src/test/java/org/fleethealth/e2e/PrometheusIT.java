package org.fleethealth.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.fleethealth.FleetHealthApplication;
import org.fleethealth.health.WorkerState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service, scraped by a real Prometheus (Debian's package) that also loads the shipped alert rules:
 * every PromQL expression of every dashboard panel and alert rule is evaluated through Prometheus's HTTP API
 * against what the service really exports, and the exposition passes {@code promtool check metrics}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusIT {

	private static final Path DIR = Path.of("target/e2e-prometheus").toAbsolutePath();

	private static final Pattern METRIC = Pattern.compile("\\b(fleet_[a-z_]+)\\b");

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	private Lab lab;

	private ConfigurableApplicationContext service;

	private Process prometheus;

	private String serviceBase;

	private String prometheusBase;

	@BeforeAll
	void start() throws IOException {
		FileSystemUtils.deleteRecursively(DIR);
		Files.createDirectories(DIR);
		this.lab = new Lab(DIR.resolve("lab"));
		this.lab.up();
		this.lab.run("fault", "carol-arm64", "fail-test", "on");
		this.lab.run("commit", "change 1");
		this.lab.run("wait-idle");
		this.service = new SpringApplicationBuilder(FleetHealthApplication.class).run("--server.port=0",
				"--spring.datasource.url=jdbc:h2:mem:prometheus-it", "--fleet-health.masters[0].name=lab",
				"--fleet-health.masters[0].url=" + this.lab.url(), "--fleet-health.poll.workers-interval=PT1S",
				"--fleet-health.poll.builds-interval=PT1S",
				"--fleet-health.poll.stream-builds-interval=PT1S");
		int servicePort = Integer.parseInt(this.service.getEnvironment().getProperty("local.server.port"));
		this.serviceBase = "http://127.0.0.1:" + servicePort;

		int port = freePort();
		this.prometheusBase = "http://127.0.0.1:" + port;
		Path config = DIR.resolve("prometheus.yml");
		Files.writeString(config, """
				global:
				  scrape_interval: 1s
				  evaluation_interval: 1s
				rule_files:
				  - %s
				scrape_configs:
				  - job_name: fleet-health
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: ['127.0.0.1:%d']
				""".formatted(Path.of("alerts/fleet-health.rules.yml").toAbsolutePath(), servicePort));
		String binary = Files.isExecutable(Path.of("/usr/bin/prometheus")) ? "/usr/bin/prometheus" : "prometheus";
		try {
			this.prometheus = new ProcessBuilder(binary, "--config.file=" + config,
					"--storage.tsdb.path=" + DIR.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
				.redirectErrorStream(true)
				.redirectOutput(DIR.resolve("prometheus.log").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Prometheus is not installed: apt-get install prometheus", ex);
		}
		await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> get(this.prometheusBase + "/-/ready").contains("Ready"));
	}

	@AfterAll
	void stop() throws InterruptedException {
		if (this.prometheus != null) {
			this.prometheus.destroy();
			if (!this.prometheus.waitFor(30, TimeUnit.SECONDS)) {
				this.prometheus.destroyForcibly();
			}
		}
		if (this.service != null) {
			this.service.close();
		}
		if (this.lab != null) {
			this.lab.close();
		}
	}

	@Test
	void everyDashboardQueryAndAlertRuleWorksAgainstRealData() throws IOException {
		// Wait for classified workers and enough scrapes for rate() windows.
		await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
			assertThat(query("count(fleet_worker_state)").path("data").path("result")).isNotEmpty();
			assertThat(query("fleet_worker_state{worker=\"dave-macos\",state=\"offline\"} == 1").path("data").path("result"))
				.isNotEmpty();
			assertThat(query("count_over_time(fleet_workers[1m]) >= 5").path("data").path("result")).isNotEmpty();
		});
		String scrape = get(this.serviceBase + "/actuator/prometheus");
		Set<String> exported = new TreeSet<>();
		scrape.lines().filter((l) -> !l.startsWith("#")).forEach((l) -> {
			Matcher m = METRIC.matcher(l);
			if (m.lookingAt()) {
				exported.add(m.group(1));
			}
		});

		Map<String, String> expressions = dashboardExpressions();
		assertThat(expressions).hasSizeGreaterThan(20);
		List<String> problems = new ArrayList<>();
		expressions.forEach((where, expr) -> {
			String promql = expr.replace("$__rate_interval", "1m").replace("$__range", "1h").replace("$master", ".*").replace("$worker", ".*").replace("$instance", ".*");
			for (String metric : metrics(promql)) {
				if (!exported.contains(metric)) {
					problems.add(where + ": names " + metric + ", which the service does not export");
				}
			}
			JsonNode answer = query(promql);
			if (!"success".equals(answer.path("status").asString())) {
				problems.add(where + ": " + answer.path("error").asString());
			}
			else if (answer.path("data").path("result").isEmpty()) {
				problems.add(where + ": no data for " + promql);
			}
		});
		assertThat(problems).isEmpty();

		// Every alert rule is loaded, evaluated without error, and its expression parses.
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			JsonNode groups = json(get(this.prometheusBase + "/api/v1/rules")).path("data").path("groups");
			List<String> rules = new ArrayList<>();
			for (JsonNode group : groups) {
				for (JsonNode rule : group.path("rules")) {
					rules.add(rule.path("name").asString());
					assertThat(rule.path("health").asString()).as(rule.path("name").asString() + ": " + rule.path("lastError"))
						.isEqualTo("ok");
					assertThat(query(rule.path("query").asString()).path("status").asString()).isEqualTo("success");
					for (String metric : metrics(rule.path("query").asString())) {
						assertThat(exported).as(rule.path("name").asString() + " names " + metric).contains(metric);
					}
				}
			}
			assertThat(rules).contains("FleetHealthSourceDown", "FleetHealthStale", "WorkerOffline", "WorkerFlakyHost",
					"WorkerFailingBuild", "FleetMostlyOffline", "BuildClassUncovered");
		});
	}

	@Test
	void theExpositionIsValid() throws IOException {
		await().atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(get(this.serviceBase + "/actuator/prometheus")).contains("fleet_worker_state{"));
		String scrape = get(this.serviceBase + "/actuator/prometheus");
		// fleet-health's own metrics pass promtool's parser and linter.
		String fleetOnly = scrape.lines()
			.filter((l) -> l.startsWith("fleet_") || l.matches("# (HELP|TYPE) fleet_.*"))
			.reduce("", (a, b) -> a + b + "\n");
		var result = org.fleethealth.metrics.PromtoolAccess.checkMetrics(fleetOnly);
		assertThat(result.exitCode()).as(result.output()).isZero();
		// The whole scrape parses; the linter's remarks are about Micrometer's JVM and HTTP meters only.
		var whole = org.fleethealth.metrics.PromtoolAccess.checkMetrics(scrape);
		assertThat(whole.output()).doesNotContain("error while linting").doesNotContain("fleet_");
		// One series per state for each worker, exactly one of them at 1.
		for (String worker : List.of("alice-debian", "carol-arm64", "dave-macos")) {
			List<String> series = scrape.lines()
				.filter((l) -> l.startsWith("fleet_worker_state{") && l.contains("worker=\"" + worker + "\""))
				.toList();
			assertThat(series).as(worker).hasSize(WorkerState.values().length);
			assertThat(series.stream().filter((l) -> l.endsWith(" 1.0") || l.endsWith(" 1")).count()).as(worker).isEqualTo(1);
		}
		assertThat(scrape).contains("# HELP fleet_worker_state ", "fleet_workers{", "fleet_worker_info{",
				"fleet_worker_last_seen_timestamp_seconds{", "fleet_worker_builds{", "fleet_worker_host_failure_ratio{",
				"fleet_build_class_workers{", "fleet_source_up{", "fleet_source_last_success_timestamp_seconds{",
				"fleet_poll_duration_seconds_count{", "fleet_poll_errors_total{");
	}

	private Map<String, String> dashboardExpressions() throws IOException {
		Map<String, String> expressions = new LinkedHashMap<>();
		try (Stream<Path> files = Files.list(Path.of("grafana/dashboards"))) {
			for (Path file : files.filter((p) -> p.toString().endsWith(".json")).sorted().toList()) {
				JsonNode dashboard = json(Files.readString(file));
				collect(file.getFileName().toString(), dashboard.path("panels"), expressions);
				for (JsonNode variable : dashboard.path("templating").path("list")) {
					String q = variable.path("query").isObject() ? variable.path("query").path("query").asString()
							: variable.path("query").asString();
					Matcher m = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)").matcher(q);
					if (m.matches()) {
						expressions.put(file.getFileName() + " variable " + variable.path("name").asString(),
								"count by (" + m.group(2) + ") (" + m.group(1) + ")");
					}
				}
			}
		}
		return expressions;
	}

	private static void collect(String file, JsonNode panels, Map<String, String> into) {
		for (JsonNode panel : panels) {
			int i = 0;
			for (JsonNode target : panel.path("targets")) {
				if (target.hasNonNull("expr")) {
					into.put(file + " / " + panel.path("title").asString() + " #" + (i++), target.path("expr").asString());
				}
			}
			collect(file, panel.path("panels"), into);
		}
	}

	private static Set<String> metrics(String promql) {
		Set<String> names = new TreeSet<>();
		Matcher m = METRIC.matcher(promql);
		while (m.find()) {
			names.add(m.group(1));
		}
		return names;
	}

	private JsonNode query(String promql) {
		return json(get(this.prometheusBase + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
	}

	private JsonNode json(String body) {
		return this.json.readTree(body);
	}

	private String get(String url) {
		try {
			return this.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
				.body();
		}
		catch (IOException ex) {
			throw new IllegalStateException(url + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
