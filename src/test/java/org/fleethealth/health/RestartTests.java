package org.fleethealth.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.fleethealth.FleetHealthApplication;
import org.fleethealth.fleet.FakeFleet;
import org.fleethealth.fleet.FakeSource;
import org.fleethealth.fleet.OtherTestConfigurations;
import org.fleethealth.fleet.PollService;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceException;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart is no news about the fleet (B14): the judgements stored before it are what pages and metrics show
 * from the first moment after it, and they do not move until this instance's own first workers poll, not even
 * when that poll finds the master down.
 */
class RestartTests {

	static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

	@Test
	void theStoredJudgementsStandFromStartUntilTheFirstWorkersPoll() {
		Map<String, WorkerReport> before;
		long changesBefore;
		try (ConfigurableApplicationContext first = start(START)) {
			FakeSource source = first.getBean(FakeSource.class);
			source.workers = List.of(
					new SourceWorker(1, "alice", true, Set.of(1L), "Alice <alice@example.org>", "host", "4.2.1", false),
					new SourceWorker(2, "dave", false, Set.of(2L), null, null, null, false));
			source.builders = List.of(new SourceBuilder(1, "gcc alice", List.of("gcc"), null),
					new SourceBuilder(2, "gcc dave", List.of("gcc"), null));
			source.builds.add(new SourceBuild(10, 1, 1, 1L, START.minusSeconds(600), START.minusSeconds(300), true, 0,
					"r1", "build successful", null));
			first.getBean(PollService.class).pollWorkers();
			first.getBean(PollService.class).pollBuilds();
			before = byName(first.getBean(WorkerReports.class).workers("fake"));
			changesBefore = first.getBean(StateChanges.class).count();
		}
		assertThat(before.get("alice").state()).isEqualTo(WorkerState.HEALTHY);
		assertThat(before.get("dave").state()).isEqualTo(WorkerState.OFFLINE);

		try (ConfigurableApplicationContext second = start(START.plus(Duration.ofMinutes(5)))) {
			// Right after start: the stored judgements, on the pages and in the metrics.
			assertUnchanged(second, before, changesBefore);
			String scrape = second.getBean(PrometheusMeterRegistry.class).scrape();
			assertThat(scrape).contains("fleet_worker_state{master=\"fake\",state=\"healthy\",worker=\"alice\"} 1")
				.contains("fleet_worker_state{master=\"fake\",state=\"offline\",worker=\"dave\"} 1");

			// A builds poll that ends before the first workers poll classifies nothing yet.
			second.getBean(ClassificationService.class).classify("fake");
			assertUnchanged(second, before, changesBefore);

			// The first workers poll finds the master down: an outage moves no worker either.
			second.getBean(FakeSource.class).failure = new SourceException("connection refused");
			second.getBean(PollService.class).pollWorkers();
			assertUnchanged(second, before, changesBefore);
		}
	}

	private static void assertUnchanged(ConfigurableApplicationContext context, Map<String, WorkerReport> before,
			long changesBefore) {
		Map<String, WorkerReport> now = byName(context.getBean(WorkerReports.class).workers("fake"));
		before.forEach((name, report) -> {
			assertThat(now.get(name).state()).as(name).isEqualTo(report.state());
			assertThat(now.get(name).since()).as(name).isEqualTo(report.since());
		});
		assertThat(context.getBean(StateChanges.class).count()).isEqualTo(changesBefore);
	}

	private static Map<String, WorkerReport> byName(List<WorkerReport> reports) {
		return reports.stream().collect(Collectors.toMap(WorkerReport::name, (r) -> r));
	}

	private static ConfigurableApplicationContext start(Instant now) {
		return new SpringApplicationBuilder(FleetHealthApplication.class, FakeFleet.class)
			.initializers((c) -> c.getBeanFactory().registerSingleton("otherTestConfigurations", new OtherTestConfigurations()))
			.run("--server.port=0", "--fleet-health.poll.enabled=false", "--fake-fleet.start=" + now,
					"--spring.datasource.url=jdbc:h2:mem:restart;DB_CLOSE_DELAY=-1");
	}

}
