package org.fleethealth.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.fleethealth.MutableClock;
import org.fleethealth.source.SourceException;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failed poll is retried by the poll job's run nearest the time the failure set, not by the run after it: the job
 * fires a few milliseconds before that time, since the failure ended a moment after its own run started (a user saw
 * "next try in PT15S" retried after 30 s, "PT1M" after 75 s).
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:poll-retry" })
@Import(FakeFleet.class)
@DirtiesContext
class PollRetryTests {

	private static final Duration EARLY = Duration.ofMillis(13);

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	FleetQueries fleet;

	@Test
	void eachRetryRunsAtTheJobRunNearestItsTime() {
		this.source.workers = List.of(new SourceWorker(1, "alice", true, Set.of(1L), "Alice <a@example.org>", "host",
				"3.7.0", false));
		this.polls.pollWorkers();
		this.source.failure = new SourceException("Connection refused");
		this.clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		Instant retry = workersPoll().nextAttemptAt();
		assertThat(retry).as("one interval after the first failure").isEqualTo(this.clock.instant().plusSeconds(60));

		// The job's next run, a moment before: it retries (and fails again: the wait doubles to two minutes).
		this.source.calls.clear();
		this.clock.advance(Duration.ofMinutes(1).minus(EARLY));
		this.polls.pollWorkers();
		assertThat(this.source.calls).contains("workers");
		assertThat(workersPoll().consecutiveFailures()).isEqualTo(2);

		// The run one interval later is half-way through the wait: skipped. The one after retries.
		this.source.calls.clear();
		this.clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		assertThat(this.source.calls).isEmpty();
		this.clock.advance(Duration.ofMinutes(1).minus(EARLY));
		this.source.failure = null;
		this.polls.pollWorkers();
		assertThat(this.source.calls).contains("workers");
		assertThat(workersPoll().consecutiveFailures()).isZero();
	}

	private PollKindState workersPoll() {
		return this.fleet.polls("fake").stream().filter((p) -> p.kind() == PollKind.WORKERS).findFirst().orElseThrow();
	}

}
