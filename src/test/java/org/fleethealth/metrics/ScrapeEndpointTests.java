package org.fleethealth.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.fleethealth.Readme;
import org.fleethealth.health.Classification;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In the service, {@code /actuator/prometheus} over HTTP is served by the extension that streams the fleet families
 * as they were written at the last classification, in both text formats, with its length sent first; a scrape of
 * named metrics, and Spring Boot's endpoint itself (JMX, tests), work as before.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:scrape",
				"fleet-health.masters[0].name=lab", "fleet-health.masters[0].url=http://127.0.0.1:9/" })
class ScrapeEndpointTests {

	@LocalServerPort
	int port;

	@Autowired
	PrometheusScrapeEndpoint endpoint;

	@Autowired
	FleetScrapeWebExtension extension;

	@Autowired
	FleetMetrics metrics;

	@BeforeEach
	void oneClassification() {
		Instant at = Instant.parse("2026-11-30T07:00:00Z");
		this.metrics.update(new Classification("lab", at, List.of(new WorkerReport("lab", "w1", WorkerState.HEALTHY, at,
				null, at, true, false, "4.1.0", "host", Set.of("gcc"), List.of(), new WorkerReport.Counts(1, 0, 0, 0, 1, 0),
				null, null, null, null))));
	}

	private final HttpClient http = HttpClient.newHttpClient();

	private HttpResponse<String> get(String query, String accept) throws Exception {
		return this.http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/prometheus" + query))
			.header("Accept", accept)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Every {@code fleet_*} family a scrape shows has a row in the README's metrics table (dashboards and alerts are
	 * built against that table), and every row names a family the service exports.
	 */
	@Test
	void everyFleetFamilyIsInTheReadmesTable() throws Exception {
		String body = get("", "text/plain;version=0.0.4").body();
		Set<String> scraped = new TreeSet<>();
		body.lines()
			.filter((l) -> l.startsWith("# TYPE fleet_"))
			.map((l) -> l.split(" ")[2])
			.forEach(scraped::add);
		Set<String> documented = Readme.metrics();
		assertThat(documented).as("the README's metrics table").hasSizeGreaterThan(25);
		// A timer is written as its _seconds family and a _seconds_max gauge beside it.
		assertThat(scraped).as("families the README's metrics table does not list")
			.allSatisfy((name) -> assertThat(documented).contains(name.replaceFirst("_max$", "")));
		// Most families have no series before a poll, a mail or a login: a row must name one the code registers
		// (as Micrometer names it, "fleet.poll.errors", or as the fleet collector does).
		StringBuilder sources = new StringBuilder();
		try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".java")).toList()) {
				sources.append(Files.readString(file));
			}
		}
		assertThat(documented).as("rows of the README's metrics table that name no metric of the code")
			.allSatisfy((name) -> {
				String base = name.replaceFirst("_(total|seconds|info)$", "");
				assertThat(sources.indexOf("\"" + name + "\"") >= 0 || sources.indexOf("\"" + base + "\"") >= 0
						|| sources.indexOf("\"" + base.replace('_', '.') + "\"") >= 0)
					.as(name)
					.isTrue();
			});
	}

	@Test
	void streamsBothTextFormatsWithTheirLength() throws Exception {
		HttpResponse<String> openMetrics = get("", "application/openmetrics-text;version=1.0.0;q=0.9,*/*;q=0.1");
		assertThat(openMetrics.statusCode()).isEqualTo(200);
		assertThat(openMetrics.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/openmetrics-text"));
		assertThat(openMetrics.headers().firstValueAsLong("Content-Length"))
			.hasValue(openMetrics.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
		assertThat(openMetrics.body()).contains("# TYPE jvm_memory_used_bytes gauge")
			.contains("# TYPE fleet_workers gauge")
			.contains("fleet_worker_state{master=\"lab\",state=\"healthy\",worker=\"w1\"} 1")
			.endsWith("# EOF\n");
		assertThat(openMetrics.body().lines().filter("# EOF"::equals)).hasSize(1);
		// The kept fleet families follow the service's other meters (Spring Boot's endpoint sorts all by name): the
		// body is the extension's.
		assertThat(openMetrics.body().indexOf("# TYPE fleet_workers "))
			.isGreaterThan(openMetrics.body().indexOf("# TYPE jvm_memory_used_bytes "));

		HttpResponse<String> text = get("", "text/plain");
		assertThat(text.statusCode()).isEqualTo(200);
		assertThat(text.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain;version=0.0.4"));
		assertThat(text.body()).contains("# TYPE jvm_memory_used_bytes gauge")
			.contains("# TYPE fleet_workers gauge")
			.doesNotContain("# EOF");
	}

	@Test
	void namedMetricsAndTheEndpointItselfAreServedTheUsualWay() throws Exception {
		HttpResponse<String> named = get("?includedNames=fleet_workers", "text/plain");
		assertThat(named.statusCode()).isEqualTo(200);
		assertThat(named.body()).contains("# TYPE fleet_workers gauge").doesNotContain("jvm_memory_used_bytes");
		assertThat(this.extension).isNotNull();
		String plain = new String(this.endpoint
			.scrape(org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat.CONTENT_TYPE_004,
					null)
			.getBody(), java.nio.charset.StandardCharsets.UTF_8);
		assertThat(plain).contains("# TYPE fleet_workers gauge");
	}

}
