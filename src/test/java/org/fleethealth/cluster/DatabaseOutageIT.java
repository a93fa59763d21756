package org.fleethealth.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL goes away for a while under a running instance (a TCP proxy between them is cut, then restored):
 * {@code /actuator/health} says DOWN (503) during the outage and UP after, by itself; polling resumes from the
 * stored cursor and mail that was waiting in the outbox is delivered once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageIT {

	static final Path DIR = Path.of("target/database-outage-it");

	private TestDatabase db;

	private TcpProxy proxy;

	private BuildbotStandIn master;

	private GreenMail smtp;

	private Node node;

	@BeforeAll
	void start() throws Exception {
		FileSystemUtils.deleteRecursively(DIR);
		this.db = new TestDatabase("outage");
		this.proxy = new TcpProxy(TestDatabase.HOST, TestDatabase.PORT);
		this.master = new BuildbotStandIn();
		this.master.workers("workers.json");
		// Two builds appear only while the database is away.
		this.master.newestBuild(this.master.recordedNewestBuild() - 2);
		int smtpPort = Node.freePort();
		// SMTP is down at first, so the digests wait in the outbox when the database goes away.
		this.smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		NodeSettings settings = NodeSettings.forMaster(this.master.url(), "node-1", smtpPort)
			.clustered("PT2S")
			.set("fleet-health.mail.retry-initial", "PT1S")
			.set("fleet-health.mail.retry-max", "PT2S");
		this.node = Node.start("node-1", DIR, NodeSettings.postgres(this.db.url("127.0.0.1", this.proxy.port())),
				List.of("-Xmx256m"), settings.args());
		this.node.awaitUp(Duration.ofMinutes(3));
	}

	@AfterAll
	void stop() {
		if (this.node != null) {
			this.node.close();
		}
		if (this.proxy != null) {
			this.proxy.close();
		}
		if (this.master != null) {
			this.master.close();
		}
		if (this.smtp != null) {
			this.smtp.stop();
		}
		if (this.db != null) {
			this.db.close();
		}
	}

	@Test
	void theServiceReportsTheOutageAndRecoversByItselfWithoutLosingAnything() {
		long before = this.master.recordedNewestBuild() - 2;
		await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
			assertThat(buildCursor()).isEqualTo(before);
			assertThat(this.db.query("select status from outbox_message where kind = 'once-over'"))
				.hasSizeGreaterThanOrEqualTo(2)
				.allSatisfy((r) -> assertThat(r.get("status")).isEqualTo("PENDING"));
			assertThat(this.db.single("select max(attempts) from outbox_message")).as("SMTP was tried").isNotEqualTo(0);
			// A digest run queues owner after owner: take the snapshot only after one run has finished.
			assertThat(this.node.metric("fleet_jobs_runs_total", "job=\"once-over\"")).isGreaterThanOrEqualTo(1.0);
		});
		List<Map<String, Object>> pending = this.db
			.query("select id, kind, recipient, period from outbox_message order by id");
		double pollsBefore = this.node.metric("fleet_jobs_runs_total", "job=\"poll-builds\"");

		// A session (the login page's CSRF token), whose cookie the browser sends during the outage.
		HttpResponse<String> login = send("/login", "text/html", null);
		String session = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
		assertThat(session).startsWith("SESSION=");

		this.proxy.cut();
		Instant cut = Instant.now();
		this.master.newestBuild(this.master.recordedNewestBuild());
		await().atMost(Duration.ofMinutes(1)).until(() -> this.node.healthStatus() == 503);
		Duration noticed = Duration.between(cut, Instant.now());
		// It stays DOWN while the database is away, and the process stays up.
		await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(30)).until(() -> this.node.healthStatus() == 503);
		assertThat(this.node.isAlive()).isTrue();
		// Pages and the API answer 503 with Retry-After, also where Spring Session reads or writes the session
		// (the login page, any request with its cookie): a trial saw bare 500s there.
		for (String cookie : java.util.Arrays.asList(null, session)) {
			for (String[] request : List.of(new String[] { "/login", "text/html" }, new String[] { "/", "text/html" },
					new String[] { "/api/workers", "application/json" })) {
				HttpResponse<String> answer = send(request[0], request[1], cookie);
				assertThat(answer.statusCode()).as(request[0] + " with " + cookie).isEqualTo(503);
				assertThat(answer.headers().firstValue("Retry-After")).as(request[0] + " with " + cookie).hasValue("30");
			}
		}
		this.smtp.start();

		this.proxy.restore();
		Instant restored = Instant.now();
		await().atMost(Duration.ofMinutes(1)).until(() -> this.node.healthStatus() == 200);
		Duration up = Duration.between(restored, Instant.now());
		ClusterIT.report("database outage: DOWN (503) %d ms after the cut, UP %d ms after the restore",
				noticed.toMillis(), up.toMillis());

		// Polling resumes from the stored cursor (no second backfill) and reads what came meanwhile.
		await().atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(buildCursor()).isEqualTo(this.master.recordedNewestBuild()));
		assertThat(this.db.single("select count(*) from build")).isEqualTo(this.master.recordedNewestBuild());
		assertThat(this.node.logLines()).filteredOn((l) -> l.contains("Backfilled")).hasSize(1);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.node.metric("fleet_jobs_runs_total", "job=\"poll-builds\""))
				.isGreaterThan(pollsBefore));

		// Every message that waited is delivered once, and none was lost or added.
		await().atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(this.db.query("select status from outbox_message"))
				.allSatisfy((r) -> assertThat(r.get("status")).isEqualTo("SENT")));
		await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(this.smtp.getReceivedMessages()).hasSize(pending.size()));
		assertThat(this.db.query("select id, kind, recipient, period from outbox_message order by id")).isEqualTo(pending);
	}

	private HttpResponse<String> send(String path, String accept, String cookie) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.node.base() + path))
			.timeout(Duration.ofSeconds(20))
			.header("Accept", accept);
		if (cookie != null) {
			request.header("Cookie", cookie);
		}
		try {
			return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private long buildCursor() {
		Object cursor = this.db.single("select build_cursor from master_state where name = 'lab'");
		return (cursor != null) ? ((Number) cursor).longValue() : -1;
	}

}
