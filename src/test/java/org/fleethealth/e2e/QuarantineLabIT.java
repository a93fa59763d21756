package org.fleethealth.e2e;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Quarantine on a real Buildbot 3.7 fleet ({@code scripts/lab up --layout pools}): bob's host fails the x86-64
 * builders his pool mates pass; he is proposed, a maintainer approves through the API, Buildbot's own
 * {@code /api/v2/workers} shows him paused, the next builds of his builders run on his pool mates, and his owner's
 * "fixed" link unpauses him (on probation, which his clean builds pass). Then frank's host fails the ppc64le
 * builders while carol, a peer of the same build class ({@code gcc}), fails the same revisions in the same step on
 * her own (the other peers pass them): no code break; but erin, his only pool mate on a stable builder, is paused by
 * hand, so his quarantine is refused, with the reason, and he stays in service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuarantineLabIT extends HostOrBuildScenario {

	private static final String PASSWORD = "lab-maintainer";

	private final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

	@BeforeAll
	void start() throws IOException {
		FileSystemUtils.deleteRecursively(dir("e2e-quarantine"));
		this.lab = new Lab(dir("e2e-quarantine").resolve("lab"));
		this.lab.up("pools");
		this.lab.run("fault", "bob-freebsd", "fail-test", "on");
		for (int i = 1; i <= 9; i++) {
			commitAndWait("change " + i);
		}
		String hash = new BCryptPasswordEncoder(4).encode(PASSWORD);
		// x86-64 has three workers: one of them quarantined is a third, so the share allowed is a half here.
		startService("quarantine", "--fleet-health.quarantine.after=PT5S", "--fleet-health.quarantine.max-share=0.5",
				"--fleet-health.quarantine.probation-builds=2", "--fleet-health.public-url=http://fleet.test/",
				"--fleet-health.security.users[0].name=maintainer",
				"--fleet-health.security.users[0].password={bcrypt}" + hash,
				"--fleet-health.security.users[0].roles=MAINTAINER");
	}

	@Test
	@Order(1)
	void aFlakyHostIsQuarantinedItsPeersTakeItsBuildsAndTheOwnersFixedLinkReleasesIt() throws Exception {
		JsonNode proposal = await().atMost(Duration.ofMinutes(2))
			.until(() -> open("bob-freebsd", "proposed"), (p) -> p != null);
		assertThat(proposal.path("evidence").toString()).contains("the host, not the build");
		assertThat(proposal.path("takeover").toString()).contains("x86-64 gcc 3.x: alice-debian, grace-debian");
		assertThat(proposal.path("owner").asString()).isEqualTo("Bob Builder <bob@example.org>");

		HttpResponse<String> approved = maintainer("POST",
				"/api/quarantine/proposals/" + proposal.path("id").asLong() + "/approve");
		assertThat(approved.statusCode()).isEqualTo(200);
		JsonNode quarantined = this.json.readTree(approved.body());
		assertThat(quarantined.path("status").asString()).as(approved.body()).isEqualTo("quarantined");

		// Buildbot's own API shows it paused, and so does fleet-health, with its reason.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(buildbotWorker("bob-freebsd").path("paused").asBoolean()).isTrue());
		await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
			JsonNode bob = worker("bob-freebsd");
			assertThat(bob.path("state").asString()).isEqualTo("paused");
			assertThat(bob.path("evidence").get(0).asString()).contains("quarantined by fleet-health: proposal #");
		});

		// Its builders' next builds run on its pool mates.
		long bobId = buildbotWorker("bob-freebsd").path("workerid").asLong();
		long before = newestBuild();
		for (int i = 1; i <= 3; i++) {
			commitAndWait("while bob is quarantined " + i);
		}
		JsonNode builds = this.json.readTree(this.lab.run("api", "builds?buildid__gt=" + before + "&limit=100"));
		List<Long> workers = new ArrayList<>();
		builds.path("builds").forEach((b) -> workers.add(b.path("workerid").asLong()));
		assertThat(workers).as("builds while bob is paused").hasSizeGreaterThanOrEqualTo(9).doesNotContain(bobId);

		// The owner fixes the host and follows the "fixed" link from the quarantine mail: unpaused, on probation.
		this.lab.run("fault", "bob-freebsd", "fail-test", "off");
		String text = service().getBean(JdbcTemplate.class)
			.queryForObject("select text_body from outbox_message where kind = 'quarantine' and recipient = ?",
					String.class, "bob@example.org");
		Matcher link = Pattern.compile("http://fleet\\.test/(replies/\\S+)").matcher(text);
		assertThat(link.find()).as(text).isTrue();
		assertThat(confirm(link.group(1)).body()).contains("Thank you");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(buildbotWorker("bob-freebsd").path("paused").asBoolean()).isFalse());
		assertThat(quarantine(quarantined.path("id").asLong()).path("status").asString()).isEqualTo("probation");

		// Its next builds pass: back to normal.
		for (int i = 1; i <= 4; i++) {
			commitAndWait("after the fix " + i);
		}
		await().atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(quarantine(quarantined.path("id").asLong()).path("status").asString())
				.isEqualTo("released"));
		String history = maintainer("GET", "/api/quarantine/workers/lab/bob-freebsd").body();
		assertThat(history).contains("\"kind\":\"paused\",").contains("\"by\":\"maintainer\"")
			.contains("\"kind\":\"released\"").contains("\"by\":\"bob@example.org (owner reply)\"")
			.contains("\"kind\":\"probation-passed\"");
	}

	@Test
	@Order(2)
	void aPeerFailingOnItsOwnIsNoCodeBreakAndTheLastWorkerOfAStableBuilderStaysInService() throws Exception {
		this.lab.run("fault", "frank-ppc64le", "fail-test", "on");
		this.lab.run("fault", "carol-arm64", "fail-test", "on");
		for (int i = 1; i <= 8; i++) {
			commitAndWait("frank and carol fail " + i);
		}
		JsonNode proposal = await().atMost(Duration.ofMinutes(2))
			.until(() -> open("frank-ppc64le", "proposed"), (p) -> p != null);
		this.lab.run("pause-worker", "erin-ppc64le");
		try {
			// The valve counts erin out once fleet-health has heard of her pause (the stream, or the next poll).
			await().atMost(Duration.ofMinutes(1))
				.untilAsserted(() -> assertThat(worker("erin-ppc64le").path("state").asString()).isEqualTo("paused"));
			HttpResponse<String> answer = maintainer("POST",
					"/api/quarantine/proposals/" + proposal.path("id").asLong() + "/approve");
			JsonNode refused = this.json.readTree(answer.body());
			// carol failed the same revisions in 'test', but alice, grace and erin passed them: carol's trouble, not
			// the code's (a new user's trial was refused as a code break here).
			assertThat(refused.path("status").asString()).as(answer.body()).isEqualTo("refused");
			assertThat(refused.path("refusal").asString()).isEqualTo("stable-builder");
			assertThat(refused.path("note").asString()).contains("the stable builder 'ppc64le gcc")
				.contains("would have no connected, unpaused worker left")
				.doesNotContain("code break");
			assertThat(buildbotWorker("frank-ppc64le").path("paused").asBoolean()).isFalse();
			assertThat(fetch("/actuator/prometheus").body())
				.contains("fleet_quarantine_refusals_total{reason=\"stable-builder\"} 1.0")
				.contains("fleet_quarantine_refusals_total{reason=\"code-break\"} 0.0")
				.contains("fleet_worker_quarantined{master=\"lab\",worker=\"frank-ppc64le\"} 0.0");
		}
		finally {
			this.lab.run("unpause-worker", "erin-ppc64le");
		}
	}

	/** The worker's newest quarantine in that status, or {@code null}. */
	private JsonNode open(String worker, String status) throws Exception {
		JsonNode all = this.json.readTree(maintainer("GET", "/api/quarantine/proposals?status=" + status).body());
		for (JsonNode q : all) {
			if (q.path("worker").asString().equals(worker)) {
				return q;
			}
		}
		return null;
	}

	private JsonNode quarantine(long id) throws Exception {
		return this.json.readTree(maintainer("GET", "/api/quarantine/proposals/" + id).body());
	}

	private JsonNode buildbotWorker(String name) {
		for (JsonNode w : this.json.readTree(this.lab.run("api", "workers")).path("workers")) {
			if (w.path("name").asString().equals(name)) {
				return w;
			}
		}
		throw new AssertionError("Buildbot does not list " + name);
	}

	private long newestBuild() {
		return this.json.readTree(this.lab.run("api", "builds?order=-buildid&limit=1"))
			.path("builds")
			.get(0)
			.path("buildid")
			.asLong();
	}

	private HttpResponse<String> maintainer(String method, String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(base() + path))
				.method(method, HttpRequest.BodyPublishers.noBody())
				.header("Authorization",
						"Basic " + Base64.getEncoder()
							.encodeToString(("maintainer:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Opens a reply link and confirms it as a browser does, with the page's CSRF token. */
	private HttpResponse<String> confirm(String path) throws Exception {
		URI uri = URI.create(base() + "/" + path);
		HttpResponse<String> page = this.browser.send(HttpRequest.newBuilder(uri).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(page.body()).contains("It is fixed");
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
		assertThat(csrf.find()).isTrue();
		return this.browser.send(HttpRequest.newBuilder(uri)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString("note=new+disk&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
