package org.fleethealth.web;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fleethealth.MutableClock;
import org.fleethealth.fleet.FakeFleet;
import org.fleethealth.fleet.FakeSource;
import org.fleethealth.fleet.PollService;
import org.fleethealth.mail.MailDelivery;
import org.fleethealth.mail.OnceOverService;
import org.fleethealth.pruning.ReplyAction;
import org.fleethealth.pruning.ReplyService;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service under hostile or careless use: no password or reply token reaches the logs (a Buildbot
 * login and an SMTP login that fail, a reply link that is used), actuator is locked down, and oversized or
 * malformed requests get a 4xx, never a 500.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "fleet-health.poll.enabled=false", "fleet-health.mail.enabled=false",
				"spring.datasource.url=jdbc:h2:mem:security-faults", "fleet-health.public-url=http://fleet.test/",
				"fleet-health.owners[dave-macos]=Dave Dunn <dave@example.org>", "spring.mail.host=127.0.0.1",
				"spring.mail.username=mailer", "spring.mail.password=" + SecurityFaultsTests.SMTP_PASSWORD,
				"spring.mail.properties.mail.smtp.auth=true", "spring.mail.properties.mail.smtp.connectiontimeout=2000",
				"fake-fleet.master=lab", "fake-fleet.start=2026-11-23T10:00:00Z" })
@ExtendWith(OutputCaptureExtension.class)
@Import(FakeFleet.class)
@DirtiesContext
class SecurityFaultsTests {

	static final String SMTP_PASSWORD = "smtp-secret-Zq81";

	static final String MAINTAINER_PASSWORD = "maintainer-secret-Pw42";

	static final String MASTER_PASSWORD = "buildbot-secret-Kx77";

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@DynamicPropertySource
	static void secrets(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.port", SecurityFaultsTests::closedPort);
		// An indexed list binds from one property source only, so the whole user is set here.
		registry.add("fleet-health.security.users[0].name", () -> "maintainer");
		registry.add("fleet-health.security.users[0].roles", () -> "MAINTAINER");
		registry.add("fleet-health.security.users[0].password",
				() -> "{bcrypt}" + new BCryptPasswordEncoder(4).encode(MAINTAINER_PASSWORD));
		// A Buildbot master that needs a login and is not there: the client logs in and fails.
		registry.add("fleet-health.masters[0].name", () -> "secured");
		registry.add("fleet-health.masters[0].url", () -> "http://127.0.0.1:" + closedPort() + "/");
		registry.add("fleet-health.masters[0].username", () -> "bot");
		registry.add("fleet-health.masters[0].password", () -> MASTER_PASSWORD);
	}

	static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@LocalServerPort
	int port;

	@Autowired
	PollService polls;

	@Autowired
	OnceOverService digest;

	@Autowired
	MailDelivery delivery;

	@Autowired
	ReplyService replies;

	private final HttpClient http = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path));
	}

	private static String basic(String password) {
		return "Basic " + Base64.getEncoder().encodeToString(("maintainer:" + password).getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void noSecretReachesTheLogsAndBadRequestsGet4xx(CapturedOutput output) throws Exception {
		// A worker that needs attention, a digest, and an SMTP server that refuses to connect.
		source.workers = List.of(new SourceWorker(3, "dave-macos", false, Set.of(3L), null, null, null, false));
		this.polls.pollWorkers();
		// Workers are judged once their builds have been read (none here).
		this.polls.pollBuilds();
		assertThat(this.digest.run().queued()).isEqualTo(1);
		assertThat(this.delivery.deliver()).isZero();
		await().atMost(Duration.ofSeconds(30)).until(() -> output.getOut().contains("Delivering once-over to dave@example.org through SMTP server"));
		// The same poll tried to log in to the Buildbot master that wants credentials, and failed.
		assertThat(output.getOut()).contains("Login to master 'secured' failed");


		// A reply link used through its page: the raw token never shows in the logs.
		String token = this.replies.issue("lab", "dave-macos", "dave@example.org", ReplyAction.INVESTIGATING,
				clock.instant().plus(Duration.ofDays(14)));
		HttpResponse<String> page = send(request("/replies/" + token));
		assertThat(page.statusCode()).isEqualTo(200);
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
		assertThat(csrf.find()).isTrue();
		HttpResponse<String> done = send(request("/replies/" + token)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("note=on+it&_csrf=" + csrf.group(1))));
		assertThat(done.statusCode()).isEqualTo(200);
		assertThat(output.getOut()).contains("Owner dave@example.org replied 'investigating'");

		// A maintainer using the API, once with a wrong password.
		assertThat(send(request("/api/mail/once-over").header("Authorization", basic("wrong-" + MAINTAINER_PASSWORD))
			.POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(401);
		assertThat(send(request("/api/mail/once-over").header("Authorization", basic(MAINTAINER_PASSWORD))
			.POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(200);

		String logs = output.getAll();
		assertThat(logs).doesNotContain(SMTP_PASSWORD, MAINTAINER_PASSWORD, MASTER_PASSWORD, token);

		// Actuator shows health and the scrape, nothing else.
		assertThat(send(request("/actuator/health")).statusCode()).isEqualTo(200);
		assertThat(send(request("/actuator/prometheus")).statusCode()).isEqualTo(200);
		for (String endpoint : List.of("env", "configprops", "beans", "heapdump", "loggers", "mappings")) {
			assertThat(send(request("/actuator/" + endpoint)).statusCode()).as(endpoint).isIn(401, 403, 404);
		}
		assertThat(send(request("/actuator/env")).body()).doesNotContain(SMTP_PASSWORD);

		// Malformed input: 400s with a reason, not 500s.
		String auth = basic(MAINTAINER_PASSWORD);
		assertThat(send(request("/api/pruning/proposals/not-a-number/approve").header("Authorization", auth)
			.POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(400);
		assertThat(send(request("/api/pruning/proposals/1/snooze?until=next-week").header("Authorization", auth)
			.POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(400);
		assertThat(send(request("/api/pruning/proposals/999/approve").header("Authorization", auth)
			.POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(404);
		assertThat(send(request("/api/workers?state=sideways")).statusCode()).isEqualTo(400);
		assertThat(send(request("/api/pruning/proposals?status=maybe")).statusCode()).isEqualTo(400);
		assertThat(send(request("/workers/lab/%00%ff")).statusCode()).isBetween(400, 404);

		// A script posting to a page's form without its CSRF token is told why, and where scripts go; a browser
		// still gets the error page.
		HttpResponse<String> noToken = send(request("/pruning/1/approve").POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(noToken.statusCode()).isEqualTo(403);
		assertThat(noToken.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(noToken.body()).contains("carry a CSRF token", "POST /api/pruning/proposals/{id}/approve");
		HttpResponse<String> fromBrowser = send(request("/pruning/1/approve").header("Accept", "text/html,*/*;q=0.8")
			.POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(fromBrowser.statusCode()).isEqualTo(403);
		assertThat(fromBrowser.body()).contains("<html").doesNotContain("problem+json");

		// An oversized form body to a public endpoint is refused, and nothing is recorded.
		String token2 = this.replies.issue("lab", "dave-macos", "dave@example.org", ReplyAction.BACK_BY,
				clock.instant().plus(Duration.ofDays(14)));
		HttpResponse<String> page2 = send(request("/replies/" + token2));
		Matcher csrf2 = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page2.body());
		assertThat(csrf2.find()).isTrue();
		String huge = "backBy=2026-12-01&_csrf=" + csrf2.group(1) + "&note=" + "x".repeat(3 * 1024 * 1024);
		HttpResponse<String> tooBig = send(request("/replies/" + token2)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(huge)));
		assertThat(tooBig.statusCode()).isBetween(400, 499);
		assertThat(this.replies.check(token2).status()).isEqualTo(ReplyService.LinkCheck.Status.VALID);
		HttpResponse<String> badDate = send(request("/replies/" + token2)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("backBy=31/12/2026&_csrf=" + csrf2.group(1))));
		assertThat(badDate.statusCode()).isEqualTo(400);
		assertThat(badDate.body()).contains("Please give the date as YYYY-MM-DD.");
		assertThat(this.replies.check(token2).status()).isEqualTo(ReplyService.LinkCheck.Status.VALID);
	}

	@Test
	void aLoopOfWrongPasswordsIsRefusedWith429BeforeAnyPasswordCheck() throws Exception {
		try {
			throttled();
		}
		finally {
			// The window passes, for the other tests of this service too.
			clock.advance(Duration.ofMinutes(15));
		}
		assertThat(send(request("/api/workers").header("Authorization", basic(MAINTAINER_PASSWORD))).statusCode())
			.as("the right password works again").isEqualTo(200);
	}

	private void throttled() throws Exception {
		// Wrong passwords for a made-up name, until the client is over the limit (10 within 15 minutes).
		int failed = 0;
		HttpResponse<String> answer;
		do {
			String guess = Base64.getEncoder().encodeToString(("intruder:guess" + failed).getBytes(StandardCharsets.UTF_8));
			answer = send(request("/api/workers").header("Authorization", "Basic " + guess));
			failed += (answer.statusCode() == 401) ? 1 : 0;
		}
		while (answer.statusCode() == 401 && failed <= 10);
		assertThat(answer.statusCode()).isEqualTo(429);
		assertThat(failed).isBetween(1, 10);
		assertThat(answer.headers().firstValue("Retry-After")).hasValueSatisfying(
				(seconds) -> assertThat(Long.parseLong(seconds)).isBetween(1L, 900L));
		assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(answer.body()).contains("Too many failed logins");

		// The login form from the same client: a friendly 429 page, the right password not even checked.
		HttpResponse<String> login = send(request("/login"));
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(login.body());
		assertThat(csrf.find()).isTrue();
		HttpResponse<String> form = send(request("/login").header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.POST(HttpRequest.BodyPublishers
				.ofString("username=maintainer&password=" + MAINTAINER_PASSWORD + "&_csrf=" + csrf.group(1))));
		assertThat(form.statusCode()).isEqualTo(429);
		assertThat(form.headers().firstValue("Retry-After")).isPresent();
		assertThat(form.body()).contains("Too many failed logins");
		String scrape = send(request("/actuator/prometheus")).body();
		assertThat(scrape).containsPattern("fleet_login_throttled_total\\{[^}]*via=\"basic\"[^}]*\\} 1\\.0")
			.containsPattern("fleet_login_throttled_total\\{[^}]*via=\"form\"[^}]*\\} 1\\.0")
			.containsPattern("fleet_login_failures_total\\{[^}]*via=\"basic\"[^}]*\\} [1-9]");
	}

}
