package org.fleethealth.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.fleethealth.FleetHealthApplication;
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
 * A real Buildbot master ({@code scripts/lab}) restarted twice while its workers stay up (they reconnect by
 * themselves within about two seconds): nobody is marked offline or flaky for it, and each worker shows at
 * most the one disconnect per restart that really happened.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MasterRestartIT {

	private static final Path DIR = Path.of("target/e2e-master-restart").toAbsolutePath();

	private static final List<String> RUNNING = List.of("alice-debian", "bob-freebsd", "carol-arm64");

	private static final int RESTARTS = 2;

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
		// Polls every second, so a poll lands in the moment the workers are reconnecting; offline and
		// flapping are quick to judge, so a wrong judgement would show.
		this.service = new SpringApplicationBuilder(FleetHealthApplication.class).run("--server.port=0",
				"--spring.datasource.url=jdbc:h2:mem:master-restart", "--fleet-health.masters[0].name=lab",
				"--fleet-health.masters[0].url=" + this.lab.url(), "--fleet-health.poll.workers-interval=PT1S",
				"--fleet-health.poll.builds-interval=PT2S", "--fleet-health.poll.backoff-max=PT1S",
				"--fleet-health.classification.offline-after=PT10S",
				"--fleet-health.classification.flapping-disconnects=" + (RESTARTS + 1),
				"--fleet-health.mail.enabled=false");
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
	void aMasterRestartMarksNobodyOfflineOrFlaky() {
		await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
			for (String name : RUNNING) {
				assertThat(worker(name).path("state").asString()).as(name).isEqualTo("healthy");
			}
		});
		for (int i = 0; i < RESTARTS; i++) {
			this.lab.run("stop-master");
			// The service notices the master is gone before it comes back.
			await().atMost(Duration.ofSeconds(30))
				.until(() -> get("/api/masters").get(0).path("consecutiveFailures").asInt() > 0);
			this.lab.run("start-master");
			await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
				assertThat(get("/api/masters").get(0).path("up").asBoolean()).isTrue();
				for (String name : RUNNING) {
					assertThat(worker(name).path("connected").asBoolean()).as(name).isTrue();
				}
			});
		}
		// A few more polls and classifications after the last restart, past offline-after.
		await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			for (String name : RUNNING) {
				assertThat(worker(name).path("state").asString()).as(name).isEqualTo("healthy");
			}
		});
		for (String name : RUNNING) {
			JsonNode worker = worker(name);
			List<String> history = worker.path("history").findValuesAsString("state");
			long disconnects = 0;
			for (JsonNode transition : worker.path("transitions")) {
				if (!transition.path("connected").asBoolean()) {
					disconnects++;
				}
			}
			System.out.println("[master-restart-it] " + name + ": " + disconnects + " disconnect(s) in " + RESTARTS
					+ " restarts; history " + history);
			assertThat(history).as(name).doesNotContain("offline", "flaky-host");
			assertThat(disconnects).as(name + ": " + worker.path("transitions")).isLessThanOrEqualTo(RESTARTS);
			assertThat(worker.path("evidence").toString()).as(name).doesNotContain("flapping");
		}
	}

	private JsonNode worker(String name) {
		return get("/api/workers/lab/" + name);
	}

	private JsonNode get(String path) {
		try {
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(this.base + path)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			return this.json.readTree(response.body());
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
