package org.fleethealth.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.fleethealth.MutableClock;
import org.fleethealth.fleet.internal.LiveStreams;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * LLVM's shape heard live: a worker's connect heard on production's event stream is judged at once on staging too,
 * which lists the same worker and reads where else it is connected. Staging's verdict waited for staging's own next
 * poll (up to {@code workers-interval}, or {@code reconcile-interval} for a staging master heard live): a worker
 * back on production read offline there meanwhile (the eighth trial).
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:shared-heard" })
@Import(SharedWorkersOutageTests.TwoMasters.class)
@DirtiesContext
class SharedWorkersHeardLiveTests {

	static final Instant START = SharedWorkersOutageTests.START;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	WorkerReports reports;

	@Autowired
	LiveStreams streams;

	@Autowired
	SharedWorkersOutageTests.TwoMasters masters;

	@Test
	void aConnectHeardOnProductionIsJudgedOnStagingAtOnce() {
		FakeSource production = this.masters.production;
		FakeSource staging = this.masters.staging;
		production.builders = List.of(new SourceBuilder(1, "gcc gina", List.of("gcc"), null));
		production.builds.add(new SourceBuild(10, 1, 1, 1L, START.minusSeconds(900), START.minusSeconds(600), true, 0,
				"r1", "build successful"));
		staging.builders = List.of(new SourceBuilder(5, "gcc gina (staging)", List.of("gcc"), null));
		production.workers = List.of(gina(1, true, 1L));
		staging.workers = List.of(gina(7, false, 5L));
		poll();
		assertThat(state("staging")).isEqualTo(WorkerState.HEALTHY);

		// She leaves production, and after offline-after (one hour) she is offline on both masters.
		this.clock.advance(Duration.ofMinutes(1));
		production.workers = List.of(gina(1, false, 1L));
		poll();
		this.clock.advance(Duration.ofHours(2));
		poll();
		assertThat(state("production")).isEqualTo(WorkerState.OFFLINE);
		assertThat(state("staging")).isEqualTo(WorkerState.OFFLINE);

		// Production is heard live from here.
		FakeStream stream = new FakeStream();
		production.stream = stream;
		this.streams.listen();
		this.clock.advance(Duration.ofSeconds(1));
		stream.up(this.clock.instant());
		await().until(() -> this.streams.isLive("production"));

		// She is back on production: heard there, and judged on staging with no poll of either master.
		this.clock.advance(Duration.ofSeconds(20));
		production.workers = List.of(gina(1, true, 1L));
		stream.listener().workerConnected(gina(1, true, 1L), this.clock.instant());
		await().until(() -> state("production") == WorkerState.HEALTHY);
		await().untilAsserted(() -> assertThat(report("staging")).satisfies((w) -> {
			assertThat(w.state()).isEqualTo(WorkerState.HEALTHY);
			assertThat(w.evidence().toString()).contains("production").doesNotContain("not connected since");
		}));
	}

	private static SourceWorker gina(long id, boolean connected, long builder) {
		return connected
				? new SourceWorker(id, "gina", true, Set.of(builder), "Gina <gina@example.org>", "host", "3.7.0", false)
				: new SourceWorker(id, "gina", false, Set.of(builder), null, null, null, false);
	}

	private void poll() {
		this.polls.pollWorkers();
		this.polls.pollBuilds();
	}

	private WorkerReport report(String master) {
		return this.reports.worker(master, "gina").orElseThrow();
	}

	private WorkerState state(String master) {
		return report(master).state();
	}

}
