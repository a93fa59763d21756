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
 * A master heard live that stops with its stream left open: Buildbot sends its workers' disconnects, then answers
 * nothing, and the stream stays "up" until a ping goes unanswered (seen with the lab's 3.7 master). The mass
 * disconnect makes fleet-health ask the master at once; the failed poll makes it an outage, so its workers turn
 * {@code unknown} and never {@code offline}, however long the stream stays open.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:stopping-master",
		"fake-fleet.master=live" })
@Import(FakeFleet.class)
@DirtiesContext
class StoppingMasterTests {

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

	private static SourceWorker worker(long id, String name, boolean connected) {
		return connected
				? new SourceWorker(id, name, true, Set.of(id), name + " <" + name + "@example.org>", "host", "4.2.1",
						false)
				: new SourceWorker(id, name, false, Set.of(id), null, null, null, false);
	}

	private WorkerReport report(String name) {
		return this.reports.worker("live", name).orElseThrow();
	}

	private PollKindState workersPoll() {
		return this.fleet.polls("live").stream().filter((p) -> p.kind() == PollKind.WORKERS).findFirst().orElseThrow();
	}

	@Test
	void aMasterThatStopsWithItsStreamOpenIsAnOutageNotOfflineWorkers() {
		this.source.workers = List.of(worker(1, "alice", true), worker(2, "bob", true), worker(3, "carol", true));
		this.source.builders = List.of(new SourceBuilder(1, "gcc alice", List.of("gcc"), null),
				new SourceBuilder(2, "gcc bob", List.of("gcc"), null),
				new SourceBuilder(3, "gcc carol", List.of("gcc"), null));
		this.source.builds.add(new SourceBuild(10, 1, 1, 1L, START.minusSeconds(900), START.minusSeconds(600), true, 0,
				"r1", "build successful", null));
		this.source.masters = List.of(new SourceMaster(1, "buildmaster", true, START.minusSeconds(30)));
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		FakeStream stream = new FakeStream();
		this.source.stream = stream;
		this.streams.listen();
		this.clock.advance(Duration.ofSeconds(1));
		stream.up(this.clock.instant());
		await().until(() -> this.fleet.stream("live").map(StreamStatus::reconciled).isPresent());
		assertThat(report("alice").state()).isEqualTo(WorkerState.HEALTHY);

		// One worker drops: the master is not asked (the stream keeps connections current).
		this.clock.advance(Duration.ofMinutes(3));
		this.source.workers = List.of(worker(1, "alice", true), worker(2, "bob", false), worker(3, "carol", true));
		this.source.calls.clear();
		stream.listener().workerDisconnected(worker(2, "bob", false), this.clock.instant());
		await().until(() -> !report("bob").connected());
		assertThat(this.source.calls).as("one worker's drop asks the master nothing").doesNotContain("workers");

		// The master stops: it sends the disconnects of the other two, then answers nothing, its stream left open.
		this.clock.advance(Duration.ofMinutes(1));
		this.source.failure = new SourceException("Connection refused");
		stream.listener().workerDisconnected(worker(1, "alice", false), this.clock.instant());
		stream.listener().workerDisconnected(worker(3, "carol", false), this.clock.instant());
		await().until(() -> workersPoll().consecutiveFailures() > 0);
		assertThat(this.streams.isLive("live")).as("the stream still reads up").isTrue();
		assertThat(this.fleet.master("live").orElseThrow().up()).isFalse();

		// Hours later the stream is still open: the poll jobs try the master at their back-off, and a stream that
		// reads up does not make it answer. Its workers are unknown, none offline, past offline-after (1 h).
		for (int i = 0; i < 8; i++) {
			this.clock.advance(Duration.ofMinutes(15));
			this.polls.pollWorkers();
		}
		assertThat(this.fleet.master("live").orElseThrow().up()).isFalse();
		await().untilAsserted(() -> assertThat(List.of("alice", "bob", "carol")).allSatisfy(
				(name) -> assertThat(report(name).state()).as(name).isEqualTo(WorkerState.UNKNOWN)));

		// It comes back, its stream with it: its workers reconnect and are healthy again, never offline.
		this.source.failure = null;
		this.source.workers = List.of(worker(1, "alice", true), worker(2, "bob", true), worker(3, "carol", true));
		this.clock.advance(Duration.ofSeconds(30));
		stream.down(this.clock.instant(), "no answer to a ping within PT30S");
		stream.up(this.clock.instant());
		await().until(() -> this.fleet.master("live").orElseThrow().up());
		await().untilAsserted(() -> assertThat(List.of("alice", "bob", "carol")).allSatisfy(
				(name) -> assertThat(report(name).state()).as(name).isEqualTo(WorkerState.HEALTHY)));
		assertThat(List.of("alice", "bob", "carol")).allSatisfy((name) -> assertThat(report(name).history())
			.extracting(WorkerReport.StateView::state)
			.as(name)
			.doesNotContain(WorkerState.OFFLINE));
	}

}
