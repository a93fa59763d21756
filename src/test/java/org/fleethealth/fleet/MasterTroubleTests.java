package org.fleethealth.fleet;

import java.net.ConnectException;
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
import org.fleethealth.source.SourceException;
import org.fleethealth.source.SourceMaster;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Master restarts and outages as polls see them, through the whole service: an outage of the API, a restart that
 * falls between two polls (seen in the master's heartbeat), and many workers dropping at one poll are recorded,
 * and the builds and disconnects they caused count against no worker.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:mastertrouble" })
@Import(FakeFleet.class)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class MasterTroubleTests {

	static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;


	@Autowired
	PollService polls;

	@Autowired
	FleetQueries fleet;

	@Autowired
	WorkerReports reports;

	private long nextBuild = 1;

	@BeforeEach
	void fleet() {
		source.failure = null;
		source.mastersFailure = null;
		source.builds.clear();
		source.workers = List.of(worker(1, "alice", true), worker(2, "bob", true), worker(3, "carol", true));
		source.builders = List.of(new SourceBuilder(1, "gcc", List.of("gcc"), null));
		source.masters = List.of(heartbeat(START.minusSeconds(20)));
	}

	private static SourceWorker worker(long id, String name, boolean connected) {
		return new SourceWorker(id, name, connected, Set.of(1L), connected ? name + " <" + name + "@example.org>" : null,
				connected ? "host" : null, connected ? "3.7.0" : null, false);
	}

	private static SourceMaster heartbeat(Instant lastActive) {
		return new SourceMaster(1, "buildmaster:/srv/master", true, lastActive);
	}

	private void build(long worker, int results, String stateString, Instant completeAt) {
		long id = this.nextBuild++;
		source.builds.add(new SourceBuild(id, (int) id, 1, worker, completeAt.minusSeconds(600), completeAt, true,
				results, "rev" + id, stateString));
	}

	private List<MasterInterruption> interruptions() {
		return this.fleet.interruptionsSince("fake", START.minus(Duration.ofDays(7)));
	}

	private WorkerReport report(String name) {
		return this.reports.worker("fake", name).orElseThrow();
	}

	@Test
	@Order(1)
	void outagesRestartsAndMassDisconnectsAreRecordedAndExcuseTheWorkers() {
		clock.set(START);
		this.polls.pollWorkers();

		// The API does not answer for two polls: an outage from the last answer to the first one after.
		source.failure = new SourceException("master 'fake' (GET http://fake.invalid/api/v2/workers) failed: ConnectException");
		clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		clock.advance(Duration.ofMinutes(2));
		this.polls.pollWorkers();
		assertThat(interruptions()).singleElement().satisfies((i) -> {
			assertThat(i.kind()).isEqualTo(MasterInterruption.Kind.UNREACHABLE);
			assertThat(i.from()).isEqualTo(START);
			assertThat(i.to()).as("still out").isNull();
		});
		source.failure = null;
		clock.advance(Duration.ofMinutes(4));
		Instant back = clock.instant();
		source.masters = List.of(heartbeat(back.minusSeconds(20)));
		this.polls.pollWorkers();
		assertThat(interruptions()).singleElement().satisfies((i) -> assertThat(i.to()).isEqualTo(back));

		// A minute later the heartbeat kept its rhythm: nothing. Then it jumps out of rhythm: a restart between
		// two polls that both found the master up.
		clock.advance(Duration.ofMinutes(1));
		source.masters = List.of(heartbeat(back.plusSeconds(40)));
		this.polls.pollWorkers();
		assertThat(interruptions()).hasSize(1);
		clock.advance(Duration.ofMinutes(1));
		Instant restarted = back.plusSeconds(40 + 35);
		source.masters = List.of(heartbeat(restarted));
		// Buildbot closed the build alice was running as a retry while it started again.
		build(1, 5, "retry", restarted.minusSeconds(2));
		for (int i = 0; i < 4; i++) {
			build(1, 0, "build successful", START.minus(Duration.ofHours(i + 1)));
		}
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		assertThat(interruptions()).last().satisfies((i) -> {
			assertThat(i.kind()).isEqualTo(MasterInterruption.Kind.RESTART);
			assertThat(i.from()).isEqualTo(back.plusSeconds(40));
			assertThat(i.to()).isEqualTo(restarted);
			assertThat(i.detail()).contains("heartbeat left Buildbot's 60 s rhythm");
		});
		WorkerReport alice = report("alice");
		assertThat(alice.state()).as(String.join("\n", alice.evidence())).isEqualTo(WorkerState.HEALTHY);
		assertThat(alice.builds().interrupted()).isEqualTo(1);
		assertThat(alice.builds().hostFailure()).as("not 1 of 5 host failures").isZero();

		// Two of three workers drop at one poll: recorded with the numbers.
		clock.advance(Duration.ofMinutes(1));
		source.workers = List.of(worker(1, "alice", false), worker(2, "bob", false), worker(3, "carol", true));
		this.polls.pollWorkers();
		assertThat(interruptions()).last().satisfies((i) -> {
			assertThat(i.kind()).isEqualTo(MasterInterruption.Kind.DISCONNECTS);
			assertThat(i.workersAffected()).isEqualTo(2);
			assertThat(i.workersTotal()).isEqualTo(3);
		});
	}

	@Test
	@Order(5)
	void aFewWorkersDroppingTogetherAreNotListedAsTheMastersInterruption() {
		List<SourceWorker> six = List.of(worker(1, "alice", true), worker(2, "bob", true), worker(3, "carol", true),
				worker(4, "dave", true), worker(5, "erin", true), worker(6, "frank", true));
		source.workers = six;
		clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		// Two of six (below outage-share 0.5) drop at one poll: stored with the numbers, but the master's
		// interruptions (/api/masters) leave it out, as the classifier does.
		source.workers = List.of(worker(1, "alice", false), worker(2, "bob", false), six.get(2), six.get(3),
				six.get(4), six.get(5));
		clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		assertThat(interruptions()).filteredOn((i) -> i.from().equals(clock.instant().minus(Duration.ofMinutes(1))))
			.singleElement()
			.satisfies((i) -> {
				assertThat(i.kind()).isEqualTo(MasterInterruption.Kind.DISCONNECTS);
				assertThat(i.workersAffected()).isEqualTo(2);
				assertThat(i.workersTotal()).isEqualTo(6);
			});
		assertThat(this.reports.interruptions("fake")).isNotEmpty()
			.noneMatch((i) -> i.kind() == MasterInterruption.Kind.DISCONNECTS && i.workersTotal() == 6);
		// The earlier two of three was most of the workers: still listed.
		assertThat(this.reports.interruptions("fake"))
			.anyMatch((i) -> i.kind() == MasterInterruption.Kind.DISCONNECTS && i.workersTotal() == 3);
	}

	@Test
	@Order(2)
	void workersAMasterUnlinksWhileItRestartsStayInTheFleet() {
		clock.set(START.plus(Duration.ofDays(2)));
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		assertThat(this.reports.workers("fake")).hasSize(3);
		// Buildbot unlinks every worker from a master that stops, and its API answers while it starts again:
		// alice and bob, not reconnected yet, are listed as configured nowhere for a moment.
		// carol reconnected before the master linked its builders again: connected, on no builder (the lab, on
		// every restart). She keeps her builders as well.
		SourceWorker carolUnlinked = new SourceWorker(3, "carol", true, Set.of(), "carol <carol@example.org>", "host",
				"3.7.0", false);
		source.workers = List.of(unlinked(1, "alice"), unlinked(2, "bob"), carolUnlinked);
		clock.advance(Duration.ofSeconds(30));
		this.polls.pollWorkers();
		assertThat(this.reports.workers("fake")).extracting(WorkerReport::name).containsExactly("alice", "bob", "carol");
		assertThat(this.fleet.worker("fake", "alice").orElseThrow().builderIds()).containsExactly(1L);
		assertThat(this.fleet.worker("fake", "carol").orElseThrow().builderIds()).containsExactly(1L);
		source.workers = List.of(worker(1, "alice", true), worker(2, "bob", true), worker(3, "carol", true));
		clock.advance(Duration.ofSeconds(30));
		this.polls.pollWorkers();
		assertThat(this.reports.workers("fake")).extracting(WorkerReport::state).containsOnly(WorkerState.HEALTHY);
		assertThat(report("alice").history()).extracting(WorkerReport.StateView::state).containsOnly(WorkerState.HEALTHY);
	}

	private static SourceWorker unlinked(long id, String name) {
		return new SourceWorker(id, name, false, Set.of(), name + " <" + name + "@example.org>", "host", "3.7.0", false);
	}

	@Test
	@Order(3)
	void aMasterThatDidNotAnswerForItsProcessesIsNotSaidNotToListThem(CapturedOutput output) {
		clock.set(START.plus(Duration.ofHours(20)));
		source.mastersFailure = new SourceException("master 'fake' (GET http://fake.invalid/api/v2/masters) failed:"
				+ " ConnectException", new ConnectException("Connection refused"));
		this.polls.pollWorkers();
		assertThat(output).doesNotContain("does not list its master processes");
	}

	@Test
	@Order(4)
	void aMasterThatDoesNotListItsProcessesIsStillPolled(CapturedOutput output) {
		clock.set(START.plus(Duration.ofDays(1)));
		source.mastersFailure = new SourceException("master 'fake' (GET http://fake.invalid/api/v2/masters) answered HTTP 403");
		this.polls.pollWorkers();
		assertThat(this.fleet.master("fake").orElseThrow().up()).isTrue();
		assertThat(this.fleet.master("fake").orElseThrow().consecutiveFailures()).isZero();
		assertThat(String.valueOf(this.fleet.master("fake").orElseThrow().lastError())).doesNotContain("masters");
		assertThat(output).contains("Master 'fake' does not list its master processes");
	}

}
