package org.fleethealth.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fleethealth.FleetHealthApplication;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the "host or build" end-to-end tests share: a real Buildbot fleet ({@code scripts/lab}) in a layout, the
 * service polling it every second, and the checks that a code break and master restarts while builds run move
 * nobody.
 */
abstract class HostOrBuildScenario {

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	protected Lab lab;

	private ConfigurableApplicationContext service;

	private String base;

	/** Starts the service against the lab: quick polls, and a stale-after longer than a restart takes. */
	protected void startService(String database, String... extra) {
		List<String> args = new java.util.ArrayList<>(List.of("--server.port=0",
				"--spring.datasource.url=jdbc:h2:mem:" + database, "--fleet-health.masters[0].name=lab",
				"--fleet-health.masters[0].url=" + this.lab.url(), "--fleet-health.poll.workers-interval=PT1S",
				"--fleet-health.poll.builds-interval=PT1S",
				"--fleet-health.poll.stream-builds-interval=PT1S", "--fleet-health.poll.backoff-max=PT1S",
				"--fleet-health.classification.stale-after=PT45S",
				"--fleet-health.classification.offline-after=PT2M",
				"--fleet-health.classification.min-builds=3", "--fleet-health.mail.enabled=false"));
		args.addAll(List.of(extra));
		this.service = new SpringApplicationBuilder(FleetHealthApplication.class).run(args.toArray(String[]::new));
		this.base = "http://127.0.0.1:" + this.service.getEnvironment().getProperty("local.server.port");
	}

	/** The running service, for tests that read what it stored (the outbox). */
	protected ConfigurableApplicationContext service() {
		return this.service;
	}

	/** The service's base URL, {@code http://127.0.0.1:PORT}. */
	protected String base() {
		return this.base;
	}

	@AfterAll
	void stopAll() {
		if (this.service != null) {
			this.service.close();
		}
		if (this.lab != null) {
			this.lab.close();
		}
	}

	/** Commits and waits until every build of it has finished. */
	protected void commitAndWait(String message, String... options) {
		List<String> args = new java.util.ArrayList<>(List.of("commit", message));
		args.addAll(List.of(options));
		this.lab.run(args.toArray(String[]::new));
		this.lab.run("wait-idle");
	}

	/** Waits until the service has read every build the master has. */
	protected void awaitAllBuildsRead() {
		long newest = this.json.readTree(this.lab.run("api", "builds?order=-buildid&limit=1"))
			.path("builds")
			.get(0)
			.path("buildid")
			.asLong();
		await().atMost(Duration.ofMinutes(1))
			.until(() -> get("/api/masters").get(0).path("buildCursor").asLong() >= newest);
		// and one more classification round after it
		String classifiedAt = get("/api/workers").get(0).path("classifiedAt").asString();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> !get("/api/workers").get(0).path("classifiedAt").asString().equals(classifiedAt));
	}

	protected Map<String, String> states() {
		Map<String, String> states = new HashMap<>();
		get("/api/workers").forEach((w) -> states.put(w.path("name").asString(), w.path("state").asString()));
		return states;
	}

	protected JsonNode worker(String name) {
		return get("/api/workers/lab/" + name);
	}

	/** The states a worker went through, newest first. */
	protected List<String> history(String name) {
		return worker(name).path("history").findValuesAsString("state");
	}

	/**
	 * A code break fixed by the next commit, then three master restarts while builds run (a clean stop, a crash,
	 * a clean stop): none of it moves anybody, and the builds the master ended count against nobody.
	 */
	protected void codeBreakAndRestartsMoveNobody(Map<String, String> expected, List<String> healthy) {
		commitAndWait("a change that breaks the tests everywhere", "--break");
		commitAndWait("the fix", "--fix");
		awaitAllBuildsRead();
		assertThat(states()).isEqualTo(expected);
		for (String name : healthy) {
			assertThat(worker(name).path("builds").path("codeBreak").asInt()).as(name + ": the break").isPositive();
		}

		for (String mode : List.of("clean", "crash", "clean")) {
			// commit waits until the master has scheduled the builds: they are starting or running when it restarts
			this.lab.run("commit", "builds running at the " + mode + " restart");
			if (mode.equals("crash")) {
				this.lab.run("restart-master", "--crash");
			}
			else {
				this.lab.run("restart-master");
			}
			this.lab.run("wait-idle");
		}
		awaitAllBuildsRead();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(states()).isEqualTo(expected));
		for (String name : expected.keySet()) {
			JsonNode worker = worker(name);
			System.out.println("[host-or-build-it] " + name + ": " + worker.path("state").asString() + " "
					+ worker.path("builds") + " history " + history(name));
			assertThat(history(name)).as(name + " moved: " + worker.path("history"))
				.containsOnly(expected.get(name));
			assertThat(worker.path("evidence").toString()).as(name).doesNotContain("flapping");
		}
		int interrupted = 0;
		for (String name : expected.keySet()) {
			interrupted += worker(name).path("builds").path("interrupted").asInt();
		}
		assertThat(interrupted).as("the restarts ended running builds, which count against nobody").isPositive();
		for (String name : healthy) {
			assertThat(worker(name).path("builds").path("hostFailure").asInt()).as(name).isZero();
		}
		// A restart is read from the master's heartbeats (/api/v2/masters). Where the stream hid a restart until its
		// ping went unanswered (30 s; one CI run), the heartbeats are read at the next poll after that, not at once.
		await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
			JsonNode master = get("/api/masters").get(0);
			System.out.println("[host-or-build-it] master: restarts " + master.path("restarts") + ", interruptions "
					+ master.path("interruptions"));
			assertThat(master.path("interruptions").size()).as("restarts and outages are recorded").isPositive();
		});
	}

	protected JsonNode get(String path) {
		HttpResponse<String> response = fetch(path);
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	/** A GET of the service as it answered: any status, the body as text. */
	protected HttpResponse<String> fetch(String path) {
		try {
			return this.http.send(HttpRequest.newBuilder(URI.create(this.base + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	protected static Path dir(String name) {
		return Path.of("target", name).toAbsolutePath();
	}

}
