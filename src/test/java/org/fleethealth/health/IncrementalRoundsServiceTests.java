package org.fleethealth.health;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.fleethealth.MutableClock;
import org.fleethealth.fleet.FakeFleet;
import org.fleethealth.fleet.FakeSource;
import org.fleethealth.fleet.PollService;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceStep;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incremental rounds through the service (issue 18): polls of an in-memory master, the stored judgements, the
 * counters. A poll that changes nothing keeps every verdict; new builds judge their worker again; the
 * {@code full-interval}, and a round stored by another instance, judge them all.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:incremental",
		"fleet-health.classification.full-interval=PT30M" })
@Import(FakeFleet.class)
@DirtiesContext
class IncrementalRoundsServiceTests {

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	WorkerReports reports;

	@Autowired
	MeterRegistry meters;

	@Autowired
	JdbcTemplate jdbc;

	private long nextBuild = 1;

	@Test
	void judgesAgainWhatChangedAndEveryWorkerEveryFullInterval() {
		Instant start = this.clock.instant();
		this.source.workers = List.of(new SourceWorker(1, "alice", true, Set.of(1L), null, "host", "3.7.0", false),
				new SourceWorker(2, "bob", true, Set.of(2L), null, "host", "3.7.0", false),
				new SourceWorker(3, "carol", true, Set.of(3L), null, "host", "3.7.0", false));
		this.source.builders = List.of(new SourceBuilder(1, "gcc alice", List.of("gcc"), null),
				new SourceBuilder(2, "gcc bob", List.of("gcc"), null),
				new SourceBuilder(3, "gcc carol", List.of("gcc"), null));
		this.source.steps = List.of(new SourceStep(0, "worker_preparation", 0), new SourceStep(1, "test", 2));
		for (long worker = 1; worker <= 3; worker++) {
			this.source.builds.add(build(worker, 0, start.minus(Duration.ofHours(2))));
		}
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		assertThat(judged("full")).isGreaterThanOrEqualTo(3);
		assertThat(state("bob")).isEqualTo(WorkerState.HEALTHY);

		// Nothing new: every verdict is kept, none is made again.
		double full = judged("full");
		double kept = kept();
		this.clock.set(start.plus(Duration.ofMinutes(1)));
		this.polls.pollWorkers();
		assertThat(kept() - kept).isEqualTo(3);
		assertThat(judged("full")).isEqualTo(full);

		// Three failures of bob's builder in one step: bob is judged again, alice and carol are kept.
		List<SourceBuild> failures = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			failures.add(build(2, 2, start.minus(Duration.ofMinutes(50 - i * 10))));
		}
		this.source.builds.addAll(failures);
		double changed = judged("changed");
		kept = kept();
		this.clock.set(start.plus(Duration.ofMinutes(2)));
		this.polls.pollBuilds();
		assertThat(judged("changed") - changed).isGreaterThanOrEqualTo(1);
		assertThat(kept() - kept).isGreaterThanOrEqualTo(2);
		assertThat(state("bob")).isEqualTo(WorkerState.FAILING_BUILD);
		assertThat(state("alice")).isEqualTo(WorkerState.HEALTHY);

		// The full interval passed: every worker is judged.
		full = judged("full");
		this.clock.set(start.plus(Duration.ofMinutes(40)));
		this.polls.pollWorkers();
		assertThat(judged("full") - full).isEqualTo(3);

		// Another instance of a cluster stored the master's last round: this one judges every worker again.
		full = judged("full");
		this.jdbc.update("update classification_round set classified_at = ? where master = 'fake'",
				Timestamp.from(start.plus(Duration.ofMinutes(41))));
		this.clock.set(start.plus(Duration.ofMinutes(42)));
		this.polls.pollWorkers();
		assertThat(judged("full") - full).isEqualTo(3);
		assertThat(state("bob")).isEqualTo(WorkerState.FAILING_BUILD);

		// A round that fails (here a table gone, as under an old instance beside an upgraded database) is counted,
		// where the log used to be the only sign; the next round that works judges every worker.
		assertThat(failures()).isZero();
		this.jdbc.execute("alter table master_lock rename to master_lock_away");
		try {
			this.clock.set(start.plus(Duration.ofMinutes(43)));
			this.polls.pollWorkers();
			assertThat(failures()).isEqualTo(1);
		}
		finally {
			this.jdbc.execute("alter table master_lock_away rename to master_lock");
		}
		full = judged("full");
		this.clock.set(start.plus(Duration.ofMinutes(44)));
		this.polls.pollWorkers();
		assertThat(judged("full") - full).isEqualTo(3);
		assertThat(failures()).isEqualTo(1);
	}

	private double failures() {
		return this.meters.get("fleet.classification.failures").tags("master", "fake").counter().count();
	}

	private SourceBuild build(long worker, int results, Instant started) {
		long id = this.nextBuild++;
		return new SourceBuild(id, (int) id, worker, worker, started, started.plusSeconds(300), true, results,
				"r" + id, (results == 0) ? "build successful" : "failed test", null);
	}

	private WorkerState state(String worker) {
		return this.reports.workers("fake").stream().filter((w) -> w.name().equals(worker)).findFirst().orElseThrow()
			.state();
	}

	private double judged(String kind) {
		Counter counter = this.meters.find("fleet.classification.judged").tags("master", "fake", "kind", kind).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private double kept() {
		Counter counter = this.meters.find("fleet.classification.kept").tags("master", "fake").counter();
		return (counter != null) ? counter.count() : 0;
	}

}
