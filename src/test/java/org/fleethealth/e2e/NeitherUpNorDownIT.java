package org.fleethealth.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * Workers that are neither simply up nor down, on real Buildbot 3.7 ({@code scripts/lab up --masters 2}): a production
 * and a staging master loading the same configuration, carol connected to staging; alice paused and unpaused through
 * Buildbot's REST API; bob stopped inside a planned downtime window; dave a latent worker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NeitherUpNorDownIT {

	private static final Path DIR = Path.of("target/e2e-neither-up-nor-down").toAbsolutePath();

	private static final Duration DOWNTIME = Duration.ofSeconds(75);

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	private Lab lab;

	private ConfigurableApplicationContext service;

	private String base;

	private Instant downtimeEnd;

	@BeforeAll
	void start() throws IOException {
		FileSystemUtils.deleteRecursively(DIR);
		this.lab = new Lab(DIR.resolve("lab"));
		this.lab.upWithStaging();
		// An owner moved carol's bot to the staging master for maintenance.
		this.lab.run("move-worker", "carol-arm64", "staging");
		Instant now = Instant.now();
		this.downtimeEnd = now.plus(DOWNTIME);
		this.service = new SpringApplicationBuilder(FleetHealthApplication.class).run("--server.port=0",
				"--spring.datasource.url=jdbc:h2:mem:neither-up-nor-down", "--fleet-health.mail.enabled=false",
				"--fleet-health.masters[0].name=lab", "--fleet-health.masters[0].url=" + this.lab.url(),
				"--fleet-health.masters[1].name=staging", "--fleet-health.masters[1].url=" + this.lab.stagingUrl(),
				"--fleet-health.poll.workers-interval=PT1S", "--fleet-health.poll.builds-interval=PT1S",
				"--fleet-health.poll.stream-builds-interval=PT1S",
				"--fleet-health.poll.backoff-max=PT2S", "--fleet-health.classification.offline-after=PT20S",
				// Well under offline-after, as the defaults are: a stopping master can leave the stream open (FleetHealthLabIT).
				"--fleet-health.buildbot.stream-ping-interval=PT5S",
				"--fleet-health.pruning.hide-builders-after=PT10S",
				"--fleet-health.classification.latent-workers=dave-*",
				"--fleet-health.downtime[0].workers=bob-freebsd", "--fleet-health.downtime[0].start=" + now,
				"--fleet-health.downtime[0].end=" + this.downtimeEnd,
				"--fleet-health.downtime[0].reason=planned maintenance of bob's host");
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
	void aWorkerConnectedToTheOtherMasterIsNotOfflineAndNotProposedForRemoval() {
		await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
			assertThat(states("lab")).containsEntry("carol-arm64", "healthy").containsEntry("alice-debian", "healthy");
			assertThat(states("staging")).containsEntry("carol-arm64", "healthy");
		});
		JsonNode carol = worker("lab", "carol-arm64");
		assertThat(carol.path("connected").asBoolean()).isFalse();
		assertThat(carol.path("connectedElsewhere").toString()).isEqualTo("[\"staging\"]");
		assertThat(carol.path("evidence").toString()).contains("connected to master 'staging' under the same name");
		// Well past hide-builders-after: still no proposal about carol on either master.
		await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(get("/api/pruning/proposals").toString()).doesNotContain("carol-arm64");
			assertThat(states("lab")).containsEntry("carol-arm64", "healthy");
		});
		assertThat(page("/workers/lab/carol-arm64")).contains("connected to staging under the same name");
	}

	@Test
	@Order(2)
	void aWorkerPausedThroughBuildbotIsPausedAndBack() {
		this.lab.run("pause-worker", "alice-debian", "--reason", "disk swap");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(states("lab")).containsEntry("alice-debian", "paused"));
		JsonNode alice = worker("lab", "alice-debian");
		assertThat(alice.path("rules").get(0).asString()).isEqualTo("paused");
		assertThat(alice.path("evidence").get(0).asString()).startsWith("paused in Buildbot since");
		assertThat(alice.path("pausedSince").isMissingNode()).isFalse();

		this.lab.run("unpause-worker", "alice-debian");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(states("lab")).containsEntry("alice-debian", "healthy"));
		List<String> kinds = worker("lab", "alice-debian").path("transitions").findValuesAsString("kind");
		assertThat(kinds).as("every pause and unpause is in its history").containsSubsequence("unpaused", "paused");
		assertThat(metrics()).contains("fleet_worker_state{master=\"lab\",state=\"paused\",worker=\"alice-debian\"} 0");
	}

	@Test
	@Order(3)
	void aStoppedWorkerIsPausedInsideItsDowntimeAndOfflineAfter() {
		assertThat(get("/api/downtime").toString()).contains("bob-freebsd").contains("\"inForce\":true");
		this.lab.run("stop-worker", "bob-freebsd");
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			JsonNode bob = worker("lab", "bob-freebsd");
			assertThat(bob.path("state").asString()).isEqualTo("paused");
			assertThat(bob.path("evidence").get(0).asString()).startsWith("planned downtime until")
				.contains("planned maintenance of bob's host");
		});
		// The offline clock starts when the window ends: offline 20 s after it.
		await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
			JsonNode bob = worker("lab", "bob-freebsd");
			assertThat(bob.path("state").asString()).isEqualTo("offline");
			assertThat(Instant.parse(bob.path("since").asString())).isAfterOrEqualTo(this.downtimeEnd.minusSeconds(1));
		});
		assertThat(worker("lab", "bob-freebsd").path("history").findValuesAsString("state"))
			.containsSubsequence("offline", "paused").doesNotContain("flaky-host");
	}

	@Test
	@Order(4)
	void aStoppedLatentWorkerWithNoWaitingWorkStaysHealthy() {
		JsonNode dave = worker("lab", "dave-macos");
		assertThat(dave.path("state").asString()).isEqualTo("healthy");
		assertThat(dave.path("evidence").toString()).contains("latent worker: disconnected between builds")
			.contains("no build request waits for it");
		// Work comes for its builders and waits: once it has waited offline-after, the latent worker is offline.
		this.lab.run("commit", "work for everyone");
		await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
			JsonNode now = worker("lab", "dave-macos");
			assertThat(now.path("state").asString()).isEqualTo("offline");
			assertThat(now.path("rules").get(0).asString()).isEqualTo("latent-not-started");
		});
	}

	private Map<String, String> states(String master) {
		Map<String, String> states = new HashMap<>();
		get("/api/workers?master=" + master)
			.forEach((w) -> states.put(w.path("name").asString(), w.path("state").asString()));
		return states;
	}

	private JsonNode worker(String master, String name) {
		return get("/api/workers/" + master + "/" + name);
	}

	private JsonNode get(String path) {
		return this.json.readTree(text(path));
	}

	private String page(String path) {
		return text(path);
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
