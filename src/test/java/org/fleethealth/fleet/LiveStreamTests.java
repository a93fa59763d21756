package org.fleethealth.fleet;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.fleethealth.MutableClock;
import org.fleethealth.fleet.internal.LiveStreams;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceException;
import org.fleethealth.source.SourceMaster;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A master heard live (issue 18): its stream's worker changes are stored at the instant they were heard and
 * judged at once; its builds events make a builds poll run; while the stream is up the polls only reconcile
 * (every {@code reconcile-interval}), and when it goes down they take over at their intervals again.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:live-stream",
		"fake-fleet.master=live" })
@Import(FakeFleet.class)
@DirtiesContext
class LiveStreamTests {

	static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	LiveStreams streams;

	@Autowired
	FleetQueries fleet;

	@Autowired
	WorkerReports reports;

	@Autowired
	MeterRegistry meters;

	@Autowired
	PrometheusMeterRegistry prometheus;

	private static SourceWorker worker(long id, String name, boolean connected) {
		return connected
				? new SourceWorker(id, name, true, Set.of(id), name + " <" + name + "@example.org>", "host", "4.2.1",
						false)
				: new SourceWorker(id, name, false, Set.of(id), null, null, null, false);
	}

	private WorkerReport report(String name) {
		return this.reports.worker("live", name).orElseThrow();
	}

	@Test
	void aMasterHeardLive() {
		this.source.workers = List.of(worker(1, "alice", true), worker(2, "bob", true), worker(3, "carol", true));
		this.source.builders = List.of(new SourceBuilder(1, "gcc alice", List.of("gcc"), null),
				new SourceBuilder(2, "gcc bob", List.of("gcc"), null),
				new SourceBuilder(3, "gcc carol", List.of("gcc"), null));
		this.source.builds.add(new SourceBuild(10, 1, 1, 1L, START.minusSeconds(900), START.minusSeconds(600), true, 0,
				"r1", "build successful", null));
		Instant heartbeat = START.minusSeconds(30);
		this.source.masters = List.of(new SourceMaster(1, "buildmaster", true, heartbeat));
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		assertThat(report("bob").state()).isEqualTo(WorkerState.HEALTHY);
		assertThat(this.streams.isLive("live")).isFalse();

		// The stream comes up: the master is reconciled by polling at once.
		FakeStream stream = new FakeStream();
		this.source.stream = stream;
		this.streams.listen();
		this.source.calls.clear();
		this.clock.advance(Duration.ofSeconds(1));
		Instant up = this.clock.instant();
		stream.up(up);
		// The reconciliation ends with the steps of failed builds, and the stream's status says when it ended.
		await().until(() -> this.fleet.stream("live").map(StreamStatus::reconciled).isPresent());
		assertThat(this.fleet.stream("live").orElseThrow().reconciled()).isEqualTo(up);
		assertThat(this.fleet.polls("live")).anyMatch((p) -> p.kind() == PollKind.STEPS && up.equals(p.lastAttemptAt()));
		assertThat(this.source.calls).contains("workers", "builders");
		assertThat(this.streams.isLive("live")).isTrue();
		assertThat(this.meters.get("fleet.source.stream.up").tag("master", "live").gauge().value()).isEqualTo(1.0);
		assertThat(this.fleet.stream("live")).hasValueSatisfying((s) -> assertThat(s.state()).isEqualTo("up"));

		// While it is up, the poll jobs read neither workers nor builds, only what the stream does not carry (the
		// waiting build requests; not the master processes: the one there is serves the stream), and the master's
		// connection state still counts as read now: nobody turns "not seen", the master is not silent.
		this.clock.advance(Duration.ofMinutes(3));
		this.source.calls.clear();
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		assertThat(this.source.calls).containsExactly("waiting");
		assertThat(this.fleet.master("live").orElseThrow().workersPolledAt()).isEqualTo(this.clock.instant());

		// bob drops: stored at the instant it was heard, and judged without waiting for a poll.
		this.clock.advance(Duration.ofSeconds(20));
		Instant dropped = this.clock.instant();
		stream.listener().workerDisconnected(worker(2, "bob", false), dropped);
		await().until(() -> !report("bob").connected());
		assertThat(report("bob").lastSeen()).isEqualTo(dropped);
		assertThat(report("bob").transitions()).first().satisfies((t) -> {
			assertThat(t.kind()).isEqualTo("disconnected");
			assertThat(t.at()).isEqualTo(dropped);
		});
		await().until(() -> this.prometheus.scrape()
			.contains("fleet_worker_last_seen_timestamp_seconds{master=\"live\",worker=\"bob\"} "
					+ (double) dropped.getEpochSecond()));
		assertThat(this.prometheus.scrape()).contains("fleet_worker_connected{master=\"live\",worker=\"bob\"} 0.0");

		// Two drops heard together are one mass disconnect, as when a poll sees them.
		this.clock.advance(Duration.ofSeconds(5));
		stream.listener().workerDisconnected(worker(1, "alice", false), this.clock.instant());
		stream.listener().workerDisconnected(worker(3, "carol", false), this.clock.instant());
		await().until(() -> this.fleet.interruptionsSince("live", START)
			.stream()
			.anyMatch((i) -> i.kind() == MasterInterruption.Kind.DISCONNECTS
					&& Integer.valueOf(2).equals(i.workersAffected())));

		// A build that finished makes a builds poll of this master run now.
		this.source.calls.clear();
		this.source.builds.add(new SourceBuild(11, 2, 1, 1L, START, this.clock.instant(), true, 0, "r2",
				"build successful", null));
		stream.listener().buildFinished(this.source.builds.get(1), this.clock.instant());
		await().until(() -> this.source.calls.stream().anyMatch((c) -> c.startsWith("buildsAfter")));
		assertThat(this.source.calls).as("the configuration is the reconciliation's to read").doesNotContain("builders");

		// Unless a build finished on a builder the master added since: the builders are read with its builds, so
		// the build is judged and shown by its builder's name, not "builder 4" until the next reconciliation.
		this.source.builders = List.of(new SourceBuilder(1, "gcc alice", List.of("gcc"), null),
				new SourceBuilder(2, "gcc bob", List.of("gcc"), null),
				new SourceBuilder(3, "gcc carol", List.of("gcc"), null),
				new SourceBuilder(4, "clang alice", List.of("clang"), null));
		this.clock.advance(Duration.ofMinutes(2));
		this.source.calls.clear();
		this.source.builds.add(new SourceBuild(12, 1, 4, 1L, START, this.clock.instant(), true, 0, "r2",
				"build successful", null));
		stream.listener().buildFinished(this.source.builds.get(2), this.clock.instant());
		await().until(() -> this.source.calls.contains("builders"));
		await().until(() -> this.fleet.builders("live").stream().anyMatch((b) -> b.name().equals("clang alice")));

		// A builds poll the stream asked for fails: the builds poll job tries it again at its back-off, stream or
		// not, rather than leaving the master failing (and its builds unread) until the next reconciliation.
		this.clock.advance(Duration.ofMinutes(2));
		this.source.failure = new SourceException("503 Service Unavailable");
		stream.listener().buildFinished(this.source.builds.get(2), this.clock.instant());
		await().until(() -> buildsPoll().consecutiveFailures() > 0);
		this.source.failure = null;
		this.clock.advance(Duration.ofMinutes(2));
		this.source.calls.clear();
		this.polls.pollBuilds();
		assertThat(this.source.calls).anyMatch((c) -> c.startsWith("buildsAfter"));
		assertThat(buildsPoll().consecutiveFailures()).isZero();

		// Past reconcile-interval, the jobs poll it again.
		this.clock.advance(Duration.ofMinutes(11));
		this.source.calls.clear();
		this.polls.pollWorkers();
		assertThat(this.source.calls).contains("workers");

		// The stream goes down: the jobs poll at their intervals again.
		Instant wentDown = this.clock.instant();
		stream.down(wentDown, "the master closed the connection");
		assertThat(this.streams.isLive("live")).isFalse();
		assertThat(this.meters.get("fleet.source.stream.up").tag("master", "live").gauge().value()).isZero();
		this.clock.advance(Duration.ofMinutes(1));
		this.source.calls.clear();
		this.polls.pollWorkers();
		assertThat(this.source.calls).contains("workers");

		// The master goes away: its polls fail and back off, for longer and longer.
		this.source.failure = new SourceException("Connection refused");
		for (int i = 0; i < 4; i++) {
			this.clock.advance(Duration.ofMinutes(5));
			this.polls.pollWorkers();
		}
		PollKindState away = workersPoll();
		assertThat(away.consecutiveFailures()).isGreaterThan(1);
		assertThat(away.nextAttemptAt()).isAfter(this.clock.instant().plusSeconds(60));
		assertThat(this.fleet.master("live").orElseThrow().up()).isFalse();

		// It comes back and its stream with it: the master answers again, so it is polled at once, back-off or not
		// (the poll jobs would wait out the back-off, and its source-down alert with them).
		this.source.failure = null;
		this.clock.advance(Duration.ofSeconds(30));
		Instant back = this.clock.instant();
		// It restarted: its heartbeat left the rhythm of the last one read, which is older than the stream's end.
		Instant restarted = heartbeat.plus(Duration.between(heartbeat, back).truncatedTo(ChronoUnit.MINUTES))
			.minusSeconds(31);
		this.source.masters = List.of(new SourceMaster(1, "buildmaster", true, restarted));
		stream.up(back);
		await().until(() -> back.equals(workersPoll().lastSuccessAt()));
		assertThat(workersPoll().consecutiveFailures()).isZero();
		assertThat(this.fleet.master("live").orElseThrow().up()).isTrue();
		// The process that served the stream ran until the stream went down (less a margin for a host that died
		// unheard): the restart is dated from then, not from the heartbeat read before, and excuses no disconnect
		// heard while the stream was up.
		assertThat(this.fleet.interruptionsSince("live", START))
			.filteredOn((i) -> i.kind() == MasterInterruption.Kind.RESTART)
			.singleElement()
			.satisfies((i) -> {
				assertThat(i.from()).isEqualTo(wentDown.minus(Duration.ofMinutes(2)));
				assertThat(i.to()).isEqualTo(restarted);
			});

		// An API with several master processes (a cluster): one can restart unheard while another serves the
		// stream, so they are read at every workers poll.
		this.source.masters = List.of(new SourceMaster(1, "buildmaster", true, restarted),
				new SourceMaster(2, "buildmaster-2", true, restarted));
		this.clock.advance(Duration.ofMinutes(11));
		this.polls.pollWorkers();
		this.clock.advance(Duration.ofMinutes(1));
		this.source.calls.clear();
		this.polls.pollWorkers();
		assertThat(this.source.calls).containsExactly("masters", "waiting");
	}

	private PollKindState buildsPoll() {
		return this.fleet.polls("live").stream().filter((p) -> p.kind() == PollKind.BUILDS).findFirst().orElseThrow();
	}

	private PollKindState workersPoll() {
		return this.fleet.polls("live").stream().filter((p) -> p.kind() == PollKind.WORKERS).findFirst().orElseThrow();
	}

}
