package org.fleethealth.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.fleethealth.FleetHealthApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Buildbot 3.7 master heard live (issue 18): with the polls ten minutes apart, a worker's disconnect and
 * connect reach {@code /api/workers} and {@code /actuator/prometheus} through the master's WebSocket alone; a master
 * restart drops the stream, and it comes back and is heard again. It asserts what was seen, not how fast.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveStreamLabIT {

	private static final Path DIR = Path.of("target/e2e-live-stream").toAbsolutePath();

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	private Lab lab;

	private ConfigurableApplicationContext service;

	private String base;

	@BeforeAll
	void start() throws IOException {
		FileSystemUtils.deleteRecursively(DIR);
		this.lab = new Lab(DIR.resolve("lab"));
		this.lab.up();
		this.service = new SpringApplicationBuilder(FleetHealthApplication.class).run("--server.port=0",
				"--spring.datasource.url=jdbc:h2:mem:live-stream-lab", "--fleet-health.mail.enabled=false",
				"--fleet-health.masters[0].name=lab", "--fleet-health.masters[0].url=" + this.lab.url(),
				// The first polls run at start; the next ones would come too late to explain anything below.
				"--fleet-health.poll.workers-interval=PT10M", "--fleet-health.poll.builds-interval=PT10M",
				"--fleet-health.poll.reconcile-interval=PT10M", "--fleet-health.buildbot.stream-backoff-initial=PT1S",
				"--fleet-health.buildbot.stream-backoff-max=PT2S");
		this.base = "http://127.0.0.1:" + this.service.getEnvironment().getProperty("local.server.port");
	}

	@AfterAll
	void stop() {
		if (this.service != null) {
			this.service.close();
		}
		if (this.lab != null) {
			this.lab.close();
		}
	}

	@Test
	@Order(1)
	void theMasterIsHeardLive() {
		await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
			assertThat(master().path("stream").path("state").asString()).isEqualTo("up");
			assertThat(metrics()).contains("fleet_source_stream_up{master=\"lab\"} 1.0");
			assertThat(worker("bob-freebsd").path("state").asString()).isEqualTo("healthy");
			// The polls the stream's coming up asked for have run: any later workers poll is skipped while it is up.
			assertThat(master().path("stream").path("reconciled").isString()).as("reconciled after the stream came up")
				.isTrue();
		});
	}

	@Test
	@Order(2)
	void aDisconnectAndAConnectArriveWithoutAPoll() {
		String pollsBefore = master().path("polls").path("workers").path("lastAttempt").asString();
		this.lab.run("stop-worker", "bob-freebsd");
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			JsonNode bob = worker("bob-freebsd");
			assertThat(bob.path("connected").asBoolean()).isFalse();
			assertThat(bob.path("transitions").get(0).path("kind").asString()).isEqualTo("disconnected");
		});
		String lastSeen = worker("bob-freebsd").path("lastSeen").asString();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(metrics()).contains("fleet_worker_last_seen_timestamp_seconds{master=\"lab\",worker=\"bob-freebsd\"} "
					+ Instant.parse(lastSeen).toEpochMilli() / 1000.0));
		assertThat(metrics()).contains("fleet_worker_connected{master=\"lab\",worker=\"bob-freebsd\"} 0.0");

		this.lab.run("start-worker", "bob-freebsd");
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			JsonNode bob = worker("bob-freebsd");
			assertThat(bob.path("connected").asBoolean()).isTrue();
			assertThat(bob.path("transitions").get(0).path("kind").asString()).isEqualTo("connected");
		});
		assertThat(master().path("polls").path("workers").path("lastAttempt").asString())
			.as("no workers poll explains it")
			.isEqualTo(pollsBefore);
	}

	@Test
	@Order(3)
	void aRestartedMasterIsReconciledAndHeardAgain() {
		String upSince = master().path("stream").path("since").asString();
		this.lab.run("restart-master");
		await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
			JsonNode stream = master().path("stream");
			assertThat(stream.path("state").asString()).isEqualTo("up");
			assertThat(stream.path("since").asString()).as("up again since").isNotEqualTo(upSince);
		});
		this.lab.run("stop-worker", "alice-debian");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(worker("alice-debian").path("connected").asBoolean()).isFalse());
	}

	private JsonNode master() {
		for (JsonNode m : get("/api/masters")) {
			if (m.path("name").asString().equals("lab")) {
				return m;
			}
		}
		throw new IllegalStateException("no master 'lab' in /api/masters");
	}

	private JsonNode worker(String name) {
		return get("/api/workers/lab/" + name);
	}

	private JsonNode get(String path) {
		return this.json.readTree(text(path));
	}

	private String metrics() {
		return text("/actuator/prometheus");
	}

	private String text(String path) {
		try {
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(this.base + path)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			return response.body();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
