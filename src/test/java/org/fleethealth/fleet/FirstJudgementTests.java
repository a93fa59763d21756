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
 * The first judgement of a master waits for the failing steps of its failed builds, but not for ever: where failed
 * builds arrive faster than {@code max-step-fetches} (here also after the first sync) reads their steps, it is made
 * after three builds polls.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:first-judgement",
		"fleet-health.poll.max-step-fetches=1", "fleet-health.poll.max-step-fetches-first-sync=1" })
@Import(FakeFleet.class)
@DirtiesContext
class FirstJudgementTests {

	static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	WorkerReports reports;

	private long nextBuild = 10;

	@Test
	void waitsForStepsThreeBuildsPollsAtMost() {
		this.clock.set(START);
		this.source.workers = List.of(new SourceWorker(1, "alice", true, Set.of(1L), "Alice <alice@example.org>",
				"host", "3.7.0", false));
		this.source.builders = List.of(new SourceBuilder(1, "gcc", List.of("gcc"), null));
		this.source.steps = List.of(new SourceStep(0, "worker_preparation", 0), new SourceStep(1, "compile", 2));
		this.polls.pollWorkers();
		for (int poll = 1; poll <= 3; poll++) {
			// Two failed builds a poll, one step read a poll: the backlog never empties.
			addFailedBuilds(2);
			this.polls.pollBuilds();
			if (poll < 3) {
				assertThat(this.reports.worker("fake", "alice")).as("judged after builds poll " + poll)
					.map(WorkerReport::state)
					.hasValue(WorkerState.UNKNOWN);
				assertThat(this.reports.worker("fake", "alice").orElseThrow().evidence().toString())
					.contains("not classified yet");
			}
			this.clock.advance(Duration.ofMinutes(1));
		}
		this.polls.pollBuilds();
		WorkerReport alice = this.reports.worker("fake", "alice").orElseThrow();
		assertThat(alice.evidence().toString()).doesNotContain("not classified yet");
		assertThat(alice.state()).isNotEqualTo(WorkerState.UNKNOWN);
	}

	private void addFailedBuilds(int count) {
		for (int i = 0; i < count; i++) {
			Instant started = this.clock.instant().minusSeconds(120);
			long id = this.nextBuild++;
			this.source.builds.add(new SourceBuild(id, (int) id, 1L, 1L, started, started.plusSeconds(60), true, 2,
					"rev" + id, "failed"));
		}
	}

}
