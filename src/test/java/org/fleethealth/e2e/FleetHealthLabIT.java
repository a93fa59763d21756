package org.fleethealth.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
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
 * End to end against a real Buildbot 3.7 master and real workers ({@code scripts/lab}): the four states come
 * out of real builds, owners get one once-over mail and their replies show, and states survive an outage of
 * the master and a restart of the service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetHealthLabIT {

	private static final Path LAB_DIR = Path.of("target/e2e/lab");

	private static final Path DB_DIR = Path.of("target/e2e/db");

	private static final String PASSWORD = "lab-maintainer-password";

	private static final String PASSWORD_HASH = new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(4)
		.encode(PASSWORD);

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	private Lab lab;

	private ConfigurableApplicationContext service;

	private String base;

	private final int port = freePort();

	private final int smtpPort = freePort();

	private GreenMail smtp;

	@BeforeAll
	void startFleet() throws IOException {
		FileSystemUtils.deleteRecursively(Path.of("target/e2e"));
		Files.createDirectories(DB_DIR);
		this.lab = new Lab(LAB_DIR);
		this.lab.up();
		// bob's host cannot check out; carol's test step is broken.
		this.lab.run("fault", "bob-freebsd", "fail-checkout", "on");
		this.lab.run("fault", "carol-arm64", "fail-test", "on");
		for (int i = 1; i <= 3; i++) {
			this.lab.run("commit", "change " + i);
		}
		this.lab.run("wait-idle");
		this.smtp = new GreenMail(new ServerSetup(this.smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		this.smtp.start();
		startService();
	}

	@AfterAll
	void stopFleet() {
		if (this.service != null) {
			this.service.close();
		}
		if (this.lab != null) {
			this.lab.close();
		}
		if (this.smtp != null) {
			this.smtp.stop();
		}
	}

	private void startService() {
		this.service = new SpringApplicationBuilder(FleetHealthApplication.class).run("--server.port=" + this.port,
				"--fleet-health.public-url=http://127.0.0.1:" + this.port + "/",
				"--spring.mail.host=127.0.0.1", "--spring.mail.port=" + this.smtpPort,
				"--fleet-health.mail.maintainers=ops@example.org", "--fleet-health.mail.send-interval=PT1S",
				"--fleet-health.pruning.hide-builders-after=PT15S",
				"--fleet-health.owners[dave-macos]=Dave Dunn <dave@example.org>",
				"--fleet-health.security.users[0].name=maintainer",
				"--fleet-health.security.users[0].password={bcrypt}" + PASSWORD_HASH,
				"--fleet-health.security.users[0].roles=MAINTAINER",
				"--spring.datasource.url=jdbc:h2:file:./" + DB_DIR + "/fleet-health",
				"--fleet-health.masters[0].name=lab", "--fleet-health.masters[0].url=" + this.lab.url(),
				"--fleet-health.poll.workers-interval=PT1S", "--fleet-health.poll.builds-interval=PT1S",
				"--fleet-health.poll.stream-builds-interval=PT1S",
				"--fleet-health.poll.backoff-max=PT2S", "--fleet-health.classification.stale-after=PT5S",
				"--fleet-health.classification.offline-after=PT20S", "--fleet-health.classification.min-builds=3",
				// Well under offline-after, as the defaults are (30 s, 1 h): a stopping master can leave the stream open
				// after the disconnects it sent, and only a ping shows it gone (CI saw workers offline 20 s into an outage).
				"--fleet-health.buildbot.stream-ping-interval=PT5S");
		this.base = "http://127.0.0.1:" + this.port;
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

	private Map<String, String> states() {
		Map<String, String> states = new HashMap<>();
		get("/api/workers").forEach((w) -> states.put(w.path("name").asString(), w.path("state").asString()));
		return states;
	}

	private JsonNode worker(String name) {
		return get("/api/workers/lab/" + name);
	}

	private static final Map<String, String> EXPECTED = Map.of("alice-debian", "healthy", "bob-freebsd", "flaky-host",
			"carol-arm64", "failing-build", "dave-macos", "offline");

	@Test
	@Order(1)
	void classifiesEveryWorkerFromRealBuilds() {
		await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(states()).isEqualTo(EXPECTED));

		JsonNode bob = worker("bob-freebsd");
		assertThat(bob.path("owner").path("email").asString()).isEqualTo("bob@example.org");
		assertThat(bob.path("evidence").toString()).contains("failed in infrastructure step 'git'");
		assertThat(bob.path("builds").path("hostFailure").asInt()).isEqualTo(6);

		JsonNode carol = worker("carol-arm64");
		assertThat(carol.path("evidence").toString()).contains("'gcc carol-arm64' failed its last 3 builds in step 'test'")
			.contains("the same revisions passed on 1 peer");
		assertThat(carol.path("classes").toString()).contains("gcc", "clang", "shared", "x86-64")
			.doesNotContain("stable");
		assertThat(carol.path("recentBuilds").get(0).path("url").asString()).startsWith(this.lab.url() + "#/builders/");
		assertThat(carol.path("recentBuilds").get(0).path("revision").asString()).hasSize(40);

		JsonNode dave = worker("dave-macos");
		assertThat(dave.path("evidence").get(0).asString()).isEqualTo("configured on master 'lab' but has never connected");
		assertThat(dave.path("lastSeen").isNull() || dave.path("lastSeen").isMissingNode()).isTrue();

		JsonNode alice = worker("alice-debian");
		assertThat(alice.path("builds").path("success").asInt()).isEqualTo(6);
		assertThat(alice.path("version").asString()).isNotEmpty();

		JsonNode masters = get("/api/masters");
		assertThat(masters.get(0).path("up").asBoolean()).isTrue();
		assertThat(masters.get(0).path("buildCursor").asLong()).isEqualTo(18);
	}

	@Test
	@Order(2)
	void ownersGetOneOnceOverMailAndTheirRepliesShow() throws Exception {
		// dave never connected: after hide-builders-after his proposal reaches the maintainers and him.
		await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
			assertThat(get("/api/pruning/proposals").toString()).contains("\"worker\":\"dave-macos\"")
				.contains("hide-builders");
			assertThat(recipients()).contains("ops@example.org", "dave@example.org");
		});
		int before = this.smtp.getReceivedMessages().length;

		JsonNode digest = post("/api/mail/once-over", "");
		assertThat(digest.path("queued").asInt()).isEqualTo(3);
		assertThat(digest.path("allGreen").asInt()).as("alice").isEqualTo(1);
		await().atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(this.smtp.getReceivedMessages()).hasSize(before + 3));
		assertThat(post("/api/mail/once-over", "").path("queued").asInt()).as("once per owner and week").isZero();

		List<MimeMessage> digests = List.of(this.smtp.getReceivedMessages()).subList(before, before + 3);
		assertThat(digests).extracting((m) -> m.getSubject()).allMatch((s) -> s.startsWith("[fleet-health] Once-over requested"));
		MimeMessage bobs = digests.stream().filter((m) -> GreenMailUtil.getBody(m).contains("bob-freebsd on lab")).findFirst().orElseThrow();
		String body = GreenMailUtil.getBody(bobs).replace("=\r\n", "").replace("=3D", "=");
		Matcher link = Pattern.compile("It will be back by a date:\\s+(http://127\\.0\\.0\\.1:\\d+/replies/[A-Za-z0-9_-]+)").matcher(body);
		assertThat(link.find()).as(body).isTrue();
		// The owner's browser: the confirmation page (with its CSRF token and session), then the POST.
		HttpClient owner = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
		String page = owner.send(HttpRequest.newBuilder(URI.create(link.group(1))).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		assertThat(page).contains("Back by a date");
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
		assertThat(csrf.find()).as("the confirmation form carries a CSRF token").isTrue();
		HttpResponse<String> done = owner.send(HttpRequest.newBuilder(URI.create(link.group(1)))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("backBy=" + java.time.LocalDate.now().plusDays(5) + "&_csrf="
					+ java.net.URLEncoder.encode(csrf.group(1), java.nio.charset.StandardCharsets.UTF_8)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
		assertThat(worker("bob-freebsd").path("replies").get(0).path("action").asString()).isEqualTo("back-by");
	}

	private List<String> recipients() {
		return Stream.of(this.smtp.getReceivedMessages()).map((m) -> {
			try {
				return ((jakarta.mail.internet.InternetAddress) m.getAllRecipients()[0]).getAddress();
			}
			catch (jakarta.mail.MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}).toList();
	}

	private JsonNode post(String path, String body) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Authorization", "Basic " + java.util.Base64.getEncoder()
				.encodeToString(("maintainer:" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private static int freePort() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	@Order(3)
	void aMasterOutageMakesWorkersUnknownNotOffline() {
		this.lab.run("stop-master");
		await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
			assertThat(states().values()).containsOnly("unknown");
			assertThat(get("/api/masters").get(0).path("lastError").path("message").asString())
				.contains("master 'lab'");
		});
		this.lab.run("start-master");
		await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(states()).isEqualTo(EXPECTED));
		for (String name : List.of("alice-debian", "bob-freebsd", "carol-arm64")) {
			assertThat(worker(name).path("history").findValuesAsString("state")).as(name).doesNotContain("offline");
		}
	}

	@Test
	@Order(4)
	void aRestartOfTheServiceKeepsHistoryAndLastSeen() {
		this.lab.run("stop-worker", "carol-arm64");
		await().atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(worker("carol-arm64").path("connected").asBoolean()).isFalse());
		String lastSeen = worker("carol-arm64").path("lastSeen").asString();
		long cursor = get("/api/masters").get(0).path("buildCursor").asLong();
		int builds = worker("alice-debian").path("recentBuilds").size();

		this.service.close();
		startService();

		await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(states().get("carol-arm64")).isEqualTo("offline"));
		JsonNode carol = worker("carol-arm64");
		assertThat(carol.path("lastSeen").asString()).as("a restart does not make a worker 'just seen'").isEqualTo(lastSeen);
		assertThat(carol.path("evidence").get(0).asString()).startsWith("not connected since");
		assertThat(get("/api/masters").get(0).path("buildCursor").asLong()).as("no second backfill").isEqualTo(cursor);
		assertThat(worker("alice-debian").path("recentBuilds").size()).isEqualTo(builds);
		assertThat(states()).containsEntry("alice-debian", "healthy").containsEntry("bob-freebsd", "flaky-host");
	}

}
