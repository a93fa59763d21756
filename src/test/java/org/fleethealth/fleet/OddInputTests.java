package org.fleethealth.fleet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.fleethealth.MutableClock;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.pruning.ProposalStatus;
import org.fleethealth.pruning.PruningService;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceStep;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What real fleets report, odd text included, through polling, storage, the pages, the API and the metrics: one
 * worker's 100 KB {@code info/host} or markup in its {@code info/admin} never fails a poll and is shown escaped;
 * workers that leave the configuration leave the fleet.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "fleet-health.poll.enabled=false", "fleet-health.mail.enabled=false",
				"spring.datasource.url=jdbc:h2:mem:oddinput", "fake-fleet.master=odd" })
@Import(FakeFleet.class)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class OddInputTests {

	static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	static final String MARKUP_ADMIN = "<script>alert('owner')</script> Mallory <b>M.</b> <mallory@example.org>";

	static final String STEP = "test: \"<script>alert(1)</script>\" & (all)";


	@LocalServerPort
	int port;

	@Autowired
	PollService polls;

	@Autowired
	FleetQueries fleet;

	@Autowired
	WorkerReports reports;

	@Autowired
	PruningService pruning;

	@Autowired
	PrometheusScrapeEndpoint scrape;

	private final HttpClient http = HttpClient.newHttpClient();

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private static SourceWorker connected(long id, String name, long... builders) {
		return new SourceWorker(id, name, true, ids(builders), name + " <" + name + "@example.org>", "Debian 12",
				"3.7.0", false);
	}

	private static Set<Long> ids(long... builders) {
		Set<Long> ids = new java.util.HashSet<>();
		for (long b : builders) {
			ids.add(b);
		}
		return ids;
	}

	@Test
	void aHugeHostAndMarkupInAdminNeitherFailAPollNorReachAPageUnescaped(CapturedOutput output) throws Exception {
		String host = "<script>alert('host')</script> " + "x".repeat(100 * 1024) + "\0 and a NUL";
		String version = "3.7.0 \"quoted\"\nsecond line";
		SourceWorker mallory = new SourceWorker(1, "mallory-linux", true, Set.of(1L), MARKUP_ADMIN, host, version,
				false);
		SourceWorker noAddress = new SourceWorker(3, "url-macos", true, Set.of(2L),
				"<script>alert('note')</script> ask on https://example.org/contact", "macOS", "3.7.0", false);
		SourceWorker placeholder = new SourceWorker(4, "ghost-ubuntu", true, Set.of(2L),
				"Your Name Here <admin@youraddress.invalid>", "Ubuntu", "3.7.0", false);
		source.workers = List.of(mallory, connected(2, "alice-debian", 2), noAddress, placeholder);
		source.builders = List.of(
				new SourceBuilder(1, "gcc & <script>alert('builder')</script> : (\"odd\") " + "b".repeat(600),
						List.of("gcc", "<i>tag</i>", "t".repeat(3000)), "d".repeat(5000)),
				new SourceBuilder(2, "gcc alice", List.of("gcc"), null));
		source.steps = List.of(new SourceStep(0, "worker_preparation", 0), new SourceStep(1, STEP, 2));
		for (int i = 0; i < 3; i++) {
			source.builds.add(new SourceBuild(10 + i, i, 1, 1L, START.minusSeconds(3600 - i * 600),
					START.minusSeconds(3000 - i * 600), true, 2, "r".repeat(600), "failed " + STEP));
		}

		this.polls.pollWorkers();
		this.polls.pollBuilds();
		clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();

		MasterStatus master = this.fleet.master("odd").orElseThrow();
		assertThat(master.up()).as("the master stays up: " + master.lastError()).isTrue();
		assertThat(master.lastError()).isNull();
		FleetWorker stored = this.fleet.worker("odd", "mallory-linux").orElseThrow();
		assertThat(stored.host()).hasSize(2000).startsWith("<script>alert('host')</script> xxx");
		assertThat(stored.version()).isEqualTo(version);
		assertThat(stored.admin()).isEqualTo(MARKUP_ADMIN);
		assertThat(this.fleet.builders("odd")).filteredOn((b) -> b.buildbotId() == 1).singleElement().satisfies((b) -> {
			assertThat(b.name()).hasSize(500);
			assertThat(b.tags()).containsExactly("gcc", "<i>tag</i>");
			assertThat(b.description()).hasSize(2000);
		});
		assertThat(this.fleet.buildsStartedSince("odd", START.minus(Duration.ofDays(1))))
			.extracting(FleetBuild::failingStep)
			.containsOnly(STEP);
		// Cut, and said so once, not on every poll.
		assertThat(output.getOut()).containsOnlyOnce("reports worker 'mallory-linux' info/host of " + host.length() + " characters");

		WorkerReport report = this.reports.worker("odd", "mallory-linux").orElseThrow();
		assertThat(report.owner().email()).isEqualTo("mallory@example.org");
		assertThat(report.owner().source()).isEqualTo("admin");

		HttpResponse<String> page = get("/workers/odd/mallory-linux");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).doesNotContain("<script>alert", "<b>M.</b>", "<i>tag</i>")
			.contains("&lt;script&gt;alert(&#39;host&#39;)&lt;/script&gt; xxx")
			.contains("&lt;script&gt;alert(&#39;owner&#39;)&lt;/script&gt; Mallory &lt;b&gt;M.&lt;/b&gt;")
			.contains("test: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; &amp; (all)");
		// No address: the text is a contact note, shown escaped; a placeholder is shown and never mailed.
		assertThat(this.reports.worker("odd", "url-macos").orElseThrow().owner().source()).isEqualTo("none");
		assertThat(get("/workers/odd/url-macos").body()).doesNotContain("<script>alert")
			.contains("Contact note (no address to mail):")
			.contains("&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt; ask on https://example.org/contact");
		assertThat(get("/api/workers/odd/ghost-ubuntu").body()).contains("\"source\":\"none\"")
			.contains("\"ignored\":[\"admin@youraddress.invalid\"]")
			.contains("\"email\":null");
		assertThat(get("/workers/odd/ghost-ubuntu").body()).contains("Placeholder address never mailed:")
			.doesNotContain("mailto:admin@youraddress.invalid");
		HttpResponse<String> overview = get("/?state=all");
		assertThat(overview.statusCode()).isEqualTo(200);
		assertThat(overview.body()).doesNotContain("<script>alert");

		HttpResponse<String> api = get("/api/workers/odd/mallory-linux");
		assertThat(api.statusCode()).isEqualTo(200);
		assertThat(api.headers().firstValue("Content-Type")).hasValueSatisfying((t) -> assertThat(t).startsWith("application/json"));
		assertThat(api.body()).contains("\"version\":\"3.7.0 \\\"quoted\\\"\\nsecond line\"");

		String metrics = new String((byte[]) this.scrape.scrape(PrometheusOutputFormat.CONTENT_TYPE_004, null).getBody(),
				StandardCharsets.UTF_8);
		assertThat(metrics).contains("fleet_worker_info{master=\"odd\",owner=\"" + MARKUP_ADMIN + "\","
				+ "version=\"3.7.0 \\\"quoted\\\"\\nsecond line\",worker=\"mallory-linux\"} 1");
		assertThat(metrics).as("a placeholder never shows in the owner label")
			.contains("fleet_worker_info{master=\"odd\",owner=\"\",version=\"3.7.0\",worker=\"ghost-ubuntu\"} 1")
			.doesNotContain("youraddress.invalid");
	}

	@Test
	void aWorkerThatLeavesTheConfigurationLeavesTheFleetAndARenamedOneStartsAfresh() throws Exception {
		source.builds.clear();
		source.workers = List.of(connected(11, "bob-freebsd", 11), connected(12, "carol-arm64", 12));
		source.builders = List.of(new SourceBuilder(11, "gcc bob", List.of("gcc"), null),
				new SourceBuilder(12, "gcc carol", List.of("gcc"), null));
		clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		// bob goes away for over a week: a proposal to hide its builders.
		source.workers = List.of(disconnected(connected(11, "bob-freebsd", 11)), connected(12, "carol-arm64", 12));
		clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		Instant disconnected = clock.instant();
		clock.advance(Duration.ofDays(8));
		this.polls.pollWorkers();
		assertThat(this.pruning.proposals("odd", "bob-freebsd")).singleElement()
			.satisfies((p) -> assertThat(p.status()).isEqualTo(ProposalStatus.PROPOSED));
		assertThat(report("bob-freebsd").state()).isEqualTo(WorkerState.OFFLINE);

		// bob's host is renamed bob-freebsd15: Buildbot keeps listing the old name, configured nowhere.
		source.workers = List.of(
				new SourceWorker(11, "bob-freebsd", false, Set.of(), "bob-freebsd <bob-freebsd@example.org>",
						"Debian 12", "3.7.0", false),
				connected(13, "bob-freebsd15", 11), connected(12, "carol-arm64", 12),
				new SourceWorker(14, "erin-unused", false, Set.of(), null, null, null, false));
		clock.advance(Duration.ofMinutes(1));
		Instant renamed = clock.instant();
		this.polls.pollWorkers();
		// Buildbot unlinks every worker from a master while it restarts: a worker leaves the fleet only when it
		// stays out of the configuration for fleet-health.poll.unconfigured-after (5 minutes).
		assertThat(this.reports.workers("odd")).extracting(WorkerReport::name).contains("bob-freebsd");
		clock.advance(Duration.ofMinutes(5));
		this.polls.pollWorkers();

		// The old name left the fleet: no state in the fleet's views, its open proposal withdrawn...
		assertThat(this.reports.workers("odd")).extracting(WorkerReport::name)
			.doesNotContain("bob-freebsd")
			.contains("bob-freebsd15", "carol-arm64");
		assertThat(this.pruning.proposals("odd", "bob-freebsd")).singleElement()
			.satisfies((p) -> assertThat(p.status()).isEqualTo(ProposalStatus.WITHDRAWN));
		String metrics = new String((byte[]) this.scrape.scrape(PrometheusOutputFormat.CONTENT_TYPE_004, null).getBody(),
				StandardCharsets.UTF_8);
		assertThat(metrics).doesNotContain("worker=\"bob-freebsd\"").contains("worker=\"bob-freebsd15\"");
		// ...its history stays readable, saying it left, with host and version as of its last connection.
		WorkerReport old = report("bob-freebsd");
		assertThat(old.configured()).isFalse();
		assertThat(old.transitions()).first().satisfies((t) -> assertThat(t.at()).isEqualTo(disconnected));
		assertThat(old.infoAsOf()).isNotNull().isBefore(disconnected);
		HttpResponse<String> api = get("/api/workers/odd/bob-freebsd");
		assertThat(api.statusCode()).isEqualTo(200);
		assertThat(api.body()).contains("\"configured\":false").contains("\"infoAsOf\":");
		HttpResponse<String> page = get("/workers/odd/bob-freebsd");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("has left the fleet").contains("as of the last connection");

		// A worker the master lists in no builder's configuration, never connected, was never in the fleet: its
		// report says why it is not judged (a trial read "not classified yet").
		assertThat(this.reports.workers("odd")).extracting(WorkerReport::name).doesNotContain("erin-unused");
		WorkerReport unused = report("erin-unused");
		assertThat(unused.configured()).isFalse();
		assertThat(unused.state()).isEqualTo(WorkerState.UNKNOWN);
		assertThat(unused.evidence()).singleElement()
			.asString()
			.startsWith("not judged: master 'odd' lists it, but in no builder's configuration");
		assertThat(get("/workers/odd/erin-unused").body()).contains("lists this worker in no builder's configuration")
			.doesNotContain("has left the fleet");

		// The new name starts as any new worker: nothing carried over.
		WorkerReport fresh = report("bob-freebsd15");
		assertThat(fresh.configured()).isTrue();
		assertThat(fresh.state()).isEqualTo(WorkerState.HEALTHY);
		assertThat(fresh.since()).isAfterOrEqualTo(renamed);
		assertThat(fresh.transitions()).singleElement().satisfies((t) -> assertThat(t.connected()).isTrue());
		assertThat(fresh.infoAsOf()).as("connected: its information is current").isNull();
		assertThat(this.pruning.proposals("odd", "bob-freebsd15")).isEmpty();
		assertThat(get("/api/workers/odd/bob-freebsd15").body()).doesNotContain("infoAsOf");
	}

	private WorkerReport report(String name) {
		return this.reports.worker("odd", name).orElseThrow();
	}

	private static SourceWorker disconnected(SourceWorker w) {
		return new SourceWorker(w.id(), w.name(), false, w.configuredBuilderIds(), w.admin(), w.host(), w.version(),
				w.paused());
	}

}
