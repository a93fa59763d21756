package org.fleethealth.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A master that misbehaves (HTTP 500, hanging before or in the middle of an answer, truncated JSON, an empty
 * worker list, a 50 MB answer) under one instance with a 256 MB heap: its workers turn {@code unknown}, never
 * {@code offline}, {@code fleet_source_up} is 0, no owner is mailed while the digest cron fires every 5 s,
 * the heap stays bounded, and everything comes back when the master does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadUpstreamIT {

	static final Path DIR = Path.of("target/bad-upstream-it");

	static final Duration OFFLINE_AFTER = Duration.ofSeconds(6);

	static final Map<String, String> HEALTHY = Map.of("alice-debian", "healthy", "bob-freebsd", "healthy",
			"carol-arm64", "healthy", "dave-macos", "offline");

	private final JsonMapper json = JsonMapper.builder().build();

	private final AtomicLong maxHeap = new AtomicLong();

	private TestDatabase db;

	private BuildbotStandIn master;

	private GreenMail smtp;

	private Node node;

	@BeforeAll
	void start() throws Exception {
		FileSystemUtils.deleteRecursively(DIR);
		this.db = new TestDatabase("upstream");
		this.master = new BuildbotStandIn();
		int smtpPort = Node.freePort();
		this.smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		this.smtp.start();
		// All connected and, with a one-minute window, no recent builds: everyone is healthy and nobody is
		// mailed, unless a broken answer were believed. dave (never connected) has no owner address.
		NodeSettings settings = NodeSettings.forMaster(this.master.url(), "node-1", smtpPort)
			.set("spring.profiles.active", "postgres")
			.set("fleet-health.owners[dave-macos]", "")
			.set("fleet-health.classification.window", "PT1M")
			.set("fleet-health.classification.stale-after", "PT4S")
			.set("fleet-health.classification.offline-after", "PT" + OFFLINE_AFTER.toSeconds() + "S")
			.set("fleet-health.buildbot.read-timeout", "PT2S")
			.set("fleet-health.poll.workers-interval", "PT1S");
		this.node = Node.start("node-1", DIR, NodeSettings.postgres(this.db.url()), List.of("-Xmx256m"),
				settings.args());
		this.node.awaitUp(Duration.ofMinutes(3));
	}

	@AfterAll
	void stop() {
		if (this.node != null) {
			this.node.close();
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
	@Order(1)
	void aHealthyMasterFirst() {
		await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
			assertThat(states()).isEqualTo(HEALTHY);
			assertThat(sourceUp()).isEqualTo(1);
		});
	}

	@ParameterizedTest
	@EnumSource(value = BuildbotStandIn.Fault.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
	@Order(2)
	void aBrokenMasterMakesItsWorkersUnknownNotOfflineAndMailsNobody(BuildbotStandIn.Fault fault) {
		long start = System.nanoTime();
		this.master.fault(fault);
		await(fault + ": unknown").atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
			assertThat(states().values()).containsOnly("unknown");
			assertThat(sourceUp()).isZero();
		});
		// Longer than offline-after: a master outage still never turns anyone offline.
		await(fault + ": stays unknown").during(OFFLINE_AFTER.plusSeconds(2))
			.atMost(OFFLINE_AFTER.plusSeconds(20))
			.untilAsserted(() -> assertThat(states().values()).containsOnly("unknown"));
		String error = this.json.readTree(this.node.get("/api/masters")).get(0).path("lastError").path("message").asString();
		assertThat(this.node.isAlive()).as(fault + ": " + error).isTrue();

		this.master.fault(BuildbotStandIn.Fault.NONE);
		await(fault + ": recovered").atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
			assertThat(states()).isEqualTo(HEALTHY);
			assertThat(sourceUp()).isEqualTo(1);
		});
		ClusterIT.report("bad upstream %s: unknown, then recovered, in %d s; last error: %s", fault,
				Duration.ofNanos(System.nanoTime() - start).toSeconds(), error);
	}

	@Test
	@Order(3)
	void nobodyWasMailedNothingWasLoggedOfflineAndTheHeapStayedBounded() {
		for (String worker : List.of("alice-debian", "bob-freebsd", "carol-arm64")) {
			JsonNode report = this.json.readTree(this.node.get("/api/workers/lab/" + worker));
			assertThat(report.path("history").findValuesAsString("state")).as(worker).doesNotContain("offline");
		}
		assertThat(JobRuns.of(this.node)).filteredOn((r) -> r.job().equals("once-over")).hasSizeGreaterThan(10);
		assertThat(this.smtp.getReceivedMessages()).isEmpty();
		assertThat(this.db.single("select count(*) from outbox_message")).isEqualTo(0L);
		// Reading 50 MB answers whole (and parsing them) would not fit in this heap; dropping them at the size
		// limit does, again and again. Heap "used" includes garbage not yet collected and so comes close to
		// -Xmx between collections; what survives a full collection is the bound that says something.
		assertThat(this.node.logLines()).noneMatch((l) -> l.contains("OutOfMemoryError"));
		long dropped = this.node.logLines()
			.stream()
			.filter((l) -> l.contains("fleet-health.buildbot.max-response-size"))
			.count();
		long live = (long) this.node.metric("jvm_gc_live_data_size_bytes");
		ClusterIT.report("bad upstream: %d answers of 50 MB dropped; largest heap use seen %d MB (-Xmx256m); "
				+ "live data after the last full GC %d MB", dropped, this.maxHeap.get() >> 20, live >> 20);
		assertThat(dropped).isGreaterThanOrEqualTo(3);
		assertThat(this.maxHeap.get()).isLessThan(256L << 20);
		assertThat(live).isLessThan(128L << 20);
	}

	private Map<String, String> states() {
		sampleHeap();
		Map<String, String> states = new HashMap<>();
		this.json.readTree(this.node.get("/api/workers"))
			.forEach((w) -> states.put(w.path("name").asString(), w.path("state").asString()));
		return states;
	}

	private double sourceUp() {
		return this.node.metric("fleet_source_up", "master=\"lab\"");
	}

	private void sampleHeap() {
		long used = (long) this.node.metric("jvm_memory_used_bytes", "area=\"heap\"");
		this.maxHeap.accumulateAndGet(used, Math::max);
	}

}
