package org.fleethealth.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.fleethealth.MutableClock;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceStep;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A builder taken out of the master's configuration (Buildbot keeps listing it, with no worker configured on it)
 * no longer keeps its last worker {@code failing-build}: its owner would be mailed about a builder that is gone, for
 * as long as its failures stay in the window.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:retired-builder" })
@Import(FakeFleet.class)
@DirtiesContext
class RetiredBuilderTests {

	static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	WorkerReports reports;

	@Autowired
	FleetQueries fleet;

	@Test
	void aBuilderThatLeftTheConfigurationMakesNobodyFailingBuild() {
		this.clock.set(START);
		this.source.workers = List.of(carol(Set.of(1L, 2L)));
		this.source.builders = List.of(new SourceBuilder(1, "gcc carol", List.of("gcc"), null),
				new SourceBuilder(2, "clang carol", List.of("clang"), null));
		this.source.steps = List.of(new SourceStep(0, "compile", 0), new SourceStep(1, "test", 2));
		build(10, 1, 0);
		build(11, 1, 0);
		build(12, 2, 2);
		build(13, 2, 2);
		build(14, 2, 2);
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		assertThat(carol().state()).isEqualTo(WorkerState.FAILING_BUILD);
		assertThat(carol().evidence().toString()).contains("'clang carol' failed its last 3 builds in step 'test'");

		// 'clang carol' leaves the configuration; the master still lists it, with its failures in the window.
		this.source.workers = List.of(carol(Set.of(1L)));
		this.clock.advance(Duration.ofMinutes(2));
		this.polls.pollWorkers();
		// The workers read tells already: the release gate and /pruning stop counting it then, not a builders read
		// later (reconcile-interval for a master heard live: a trial's gate was no-go for ten minutes on one).
		assertThat(this.fleet.builders("fake")).extracting(FleetBuilder::name, FleetBuilder::current)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("gcc carol", true),
					org.assertj.core.groups.Tuple.tuple("clang carol", false));
		this.polls.pollBuilds();
		assertThat(carol().state()).isEqualTo(WorkerState.HEALTHY);
	}

	private WorkerReport carol() {
		return this.reports.worker("fake", "carol").orElseThrow();
	}

	private static SourceWorker carol(Set<Long> builders) {
		return new SourceWorker(1, "carol", true, builders, "Carol <carol@example.org>", "host", "3.7.0", false);
	}

	private void build(long id, long builder, int results) {
		Instant started = START.minus(Duration.ofHours(20 - id));
		this.source.builds.add(new SourceBuild(id, (int) id, builder, 1L, started, started.plusSeconds(600), true,
				results, "rev" + id, (results == 0) ? "build successful" : "failed test"));
	}

}
