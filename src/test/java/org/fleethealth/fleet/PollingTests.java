package org.fleethealth.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import org.fleethealth.MutableClock;
import org.fleethealth.fleet.internal.MasterStates;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceException;
import org.fleethealth.source.SourceStep;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Polling and classification through the whole service (H2, Flyway, JPA, events) against an in-memory
 * master, with a clock the test moves.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:polling",
		"fleet-health.owners[dave-macos]=Dave Dunn <dave@example.org>" })
@Import(FakeFleet.class)
@DirtiesContext
class PollingTests {

	static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	PollAttempts attempts;

	@Autowired
	FleetQueries fleet;

	@Autowired
	WorkerReports reports;

	@Autowired
	MeterRegistry meters;

	@Autowired
	MasterStates masterStates;

	@BeforeEach
	void reset() {
		source.failure = null;
		source.calls.clear();
	}

	private static SourceWorker worker(long id, String name, boolean connected, long... builders) {
		Set<Long> ids = new java.util.HashSet<>();
		for (long b : builders) {
			ids.add(b);
		}
		return connected ? new SourceWorker(id, name, true, ids, name + " <" + name + "@example.org>", "host", "3.7.0", false)
				: new SourceWorker(id, name, false, ids, null, null, null, false);
	}

	private static SourceBuild build(long id, long builder, long worker, int results, Instant started) {
		return new SourceBuild(id, (int) id, builder, worker, started, started.plusSeconds(60), true, results, "rev" + id,
				"done");
	}

	private WorkerReport report(String name) {
		return this.reports.worker("fake", name).orElseThrow();
	}

	@Test
	void pollsClassifiesAndSurvivesAnOutage() {
		// A fleet with one worker that never connected and one whose checkouts keep failing.
		source.workers = List.of(worker(1, "alice", true, 1), worker(2, "bob", true, 2), worker(3, "dave-macos", false, 3));
		source.builders = List.of(new SourceBuilder(1, "gcc alice", List.of("gcc", "stable"), null),
				new SourceBuilder(2, "gcc bob", List.of("gcc", "stable"), null),
				new SourceBuilder(3, "gcc dave", List.of("gcc"), null));
		source.steps = List.of(new SourceStep(0, "worker_preparation", 0), new SourceStep(1, "git", 2));
		for (int i = 0; i < 6; i++) {
			Instant started = START.minus(Duration.ofHours(6 - i));
			source.builds.add(build(10 + 2 * i, 1, 1, 0, started));
			source.builds.add(build(11 + 2 * i, 2, 2, (i % 2 == 0) ? 2 : 0, started));
		}
		// A build older than the lookback is not backfilled.
		source.builds.add(build(5, 1, 1, 0, START.minus(Duration.ofDays(20))));

		this.polls.pollWorkers();
		this.polls.pollBuilds();

		assertThat(source.calls).contains("buildsBefore " + Long.MAX_VALUE, "steps 19", "steps 15", "steps 11");
		assertThat(this.fleet.master("fake").orElseThrow().buildCursor()).isEqualTo(21L);
		assertThat(this.fleet.buildsStartedSince("fake", START.minus(Duration.ofDays(30)))).hasSize(12);
		assertThat(report("alice").state()).isEqualTo(WorkerState.HEALTHY);
		assertThat(report("alice").classes()).containsExactly("gcc");
		assertThat(report("bob").state()).isEqualTo(WorkerState.FLAKY_HOST);
		assertThat(report("bob").evidence()).contains("3 builds failed in infrastructure step 'git' ('gcc bob' #11, 'gcc bob' #15, 'gcc bob' #19)");
		WorkerReport dave = report("dave-macos");
		assertThat(dave.state()).isEqualTo(WorkerState.OFFLINE);
		assertThat(dave.owner().email()).as("from configuration").isEqualTo("dave@example.org");
		assertThat(dave.lastSeen()).isNull();
		assertThat(report("alice").owner().name()).isEqualTo("alice");

		// New builds come by cursor, not by backfill.
		source.calls.clear();
		source.builds.add(build(22, 1, 1, 0, START));
		clock.advance(Duration.ofMinutes(2));
		this.polls.pollBuilds();
		assertThat(source.calls).contains("buildsAfter 20").doesNotContain("buildsBefore " + Long.MAX_VALUE);
		assertThat(this.fleet.master("fake").orElseThrow().buildCursor()).isEqualTo(22L);

		// A heartbeat finds everyone still connected: they were seen by it.
		clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		Instant heartbeat = clock.instant();
		assertThat(report("alice").lastSeen()).isEqualTo(heartbeat);

		// alice disconnects: recorded with the time, not offline before offline-after; she was last seen by the
		// heartbeat before.
		Instant lastSeen = report("alice").lastSeen();
		source.workers = List.of(worker(1, "alice", false, 1), worker(2, "bob", true, 2), worker(3, "dave-macos", false, 3));
		clock.advance(Duration.ofMinutes(1));
		Instant disconnected = clock.instant();
		this.polls.pollWorkers();
		assertThat(report("alice").state()).isEqualTo(WorkerState.HEALTHY);
		assertThat(report("alice").lastSeen()).isEqualTo(lastSeen);
		assertThat(report("alice").transitions()).first().satisfies((t) -> {
			assertThat(t.connected()).isFalse();
			assertThat(t.at()).isEqualTo(disconnected);
		});
		clock.advance(Duration.ofMinutes(61));
		this.polls.pollWorkers();
		assertThat(report("alice").state()).isEqualTo(WorkerState.OFFLINE);
		assertThat(report("alice").since()).isEqualTo(disconnected);
		// bob's judgement did not change (and was not rewritten), yet he was classified in this round.
		assertThat(report("bob").classifiedAt()).isEqualTo(clock.instant());
		assertThat(report("bob").lastSeen()).as("a connected worker is seen by every heartbeat").isEqualTo(clock.instant());
		assertThat(report("alice").lastSeen()).isEqualTo(lastSeen);

		// The master goes away: nothing is wiped, nobody turns offline, and after stale-after all is unknown.
		double errors = this.meters.counter("fleet.poll.errors", "master", "fake", "kind", "workers").count();
		source.failure = new SourceException("master 'fake' (GET http://fake.invalid/api/v2/workers) failed: ConnectException");
		clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		assertThat(this.meters.counter("fleet.poll.errors", "master", "fake", "kind", "workers").count()).isEqualTo(errors + 1);
		assertThat(report("bob").state()).isEqualTo(WorkerState.FLAKY_HOST);
		MasterStatus master = this.fleet.master("fake").orElseThrow();
		assertThat(master.lastError()).contains("ConnectException");
		assertThat(master.consecutiveFailures()).isEqualTo(1);
		assertThat(master.nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
		clock.advance(Duration.ofMinutes(1));

		// A master that suddenly lists nobody is not believed.
		source.failure = null;
		List<SourceWorker> fleetBefore = source.workers;
		source.workers = List.of();
		clock.advance(Duration.ofMinutes(2));
		this.polls.pollWorkers();
		assertThat(this.fleet.master("fake").orElseThrow().lastError()).contains("listed no workers while 3 are configured");
		// Nor one that lists everybody as configured nowhere, as a Buildbot master does while it shuts down.
		source.workers = fleetBefore.stream()
			.map((w) -> new SourceWorker(w.id(), w.name(), false, Set.of(), w.admin(), w.host(), w.version(), false))
			.toList();
		clock.advance(Duration.ofMinutes(4));
		this.polls.pollWorkers();
		assertThat(this.fleet.master("fake").orElseThrow().lastError())
			.contains("listed no configured workers while 3 are configured");
		assertThat(this.reports.workers("fake")).hasSize(3);
		assertThat(this.reports.workers("fake")).hasSize(3);
		source.workers = fleetBefore;
		source.failure = new SourceException("master 'fake' (GET http://fake.invalid/api/v2/workers) failed: ConnectException");

		// Backing off: a poll within the wait does not call the master at all.
		source.calls.clear();
		clock.advance(Duration.ofSeconds(30));
		this.polls.pollWorkers();
		assertThat(source.calls).isEmpty();

		clock.advance(Duration.ofMinutes(11));
		this.polls.pollWorkers();
		assertThat(this.reports.workers("fake")).extracting(WorkerReport::state).containsOnly(WorkerState.UNKNOWN);
		assertThat(report("bob").evidence().get(0)).startsWith("master 'fake' has not answered since");
		assertThat(this.reports.workers("fake")).hasSize(3);
		assertThat(this.fleet.buildsStartedSince("fake", START.minus(Duration.ofDays(30)))).hasSize(13);

		// Back again: states come back, offline since the real disconnect.
		source.failure = null;
		clock.advance(Duration.ofMinutes(30));
		this.polls.pollWorkers();
		assertThat(report("alice").state()).isEqualTo(WorkerState.OFFLINE);
		assertThat(report("alice").since()).isEqualTo(disconnected);
		assertThat(report("bob").state()).isEqualTo(WorkerState.FLAKY_HOST);
		assertThat(report("bob").history()).extracting(WorkerReport.StateView::state)
			.containsSubsequence(WorkerState.FLAKY_HOST, WorkerState.UNKNOWN, WorkerState.FLAKY_HOST);
	}

	@Test
	void backoffDoublesUpToTheMaximum() {
		assertThat(this.attempts.backoff(Duration.ofMinutes(1), 1)).isEqualTo(Duration.ofMinutes(1));
		assertThat(this.attempts.backoff(Duration.ofMinutes(1), 3)).isEqualTo(Duration.ofMinutes(4));
		assertThat(this.attempts.backoff(Duration.ofMinutes(1), 12)).isEqualTo(Duration.ofMinutes(30));
	}

}
