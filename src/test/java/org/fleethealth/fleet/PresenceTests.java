package org.fleethealth.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.fleethealth.MutableClock;
import org.fleethealth.health.Rule;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuildRequest;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceMaster;
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
 * Whether a worker is there, from what polls read besides its connection, through the whole service: the master
 * process it belongs to, its running build's steps, build requests waiting for it, and its pauses.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:presence",
		"fake-fleet.master=cluster" })
@Import(FakeFleet.class)
@DirtiesContext
class PresenceTests {

	static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	WorkerReports reports;


	@BeforeEach
	void reset() {
		this.source.failure = null;
		this.source.builds.clear();
		this.source.waiting = List.of();
		this.source.steps = List.of();
		this.source.builders = List.of(new SourceBuilder(1, "gcc", List.of("gcc"), null),
				new SourceBuilder(2, "clang", List.of("clang"), null));
	}

	/** A worker of the cluster's master process {@code master} (1 or 2), connected to it or not. */
	private static SourceWorker worker(long id, String name, long builder, long master, boolean connected,
			boolean paused) {
		return new SourceWorker(id, name, connected, Set.of(builder), name + " <" + name + "@example.org>", "host",
				"3.7.0", paused, null, connected ? Set.of(master) : Set.of(), Set.of(master));
	}

	private WorkerReport report(String name) {
		return this.reports.worker("cluster", name).orElseThrow();
	}

	@Test
	void theWorkersOfAnInactiveMasterAreUnknownAndStayInTheFleet() {
		this.clock.set(START);
		this.source.masters = List.of(new SourceMaster(1, "web", true, START.minusSeconds(10)),
				new SourceMaster(2, "workers-master", true, START.minusSeconds(20)));
		this.source.workers = List.of(worker(1, "alice", 1, 2, true, false), worker(2, "bob", 2, 1, true, false));
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		assertThat(report("alice").state()).isEqualTo(WorkerState.HEALTHY);

		// The master process holding alice dies; the web master still answers. Buildbot marks it inactive and
		// unlinks its workers: alice is listed as configured nowhere and not connected.
		this.source.masters = List.of(new SourceMaster(1, "web", true, START.plusSeconds(50)),
				new SourceMaster(2, "workers-master", false, START.minusSeconds(20)));
		this.source.workers = List.of(new SourceWorker(1, "alice", false, Set.of(), null, null, null, false, null,
				Set.of(), Set.of()), worker(2, "bob", 2, 1, true, false));
		for (int i = 0; i < 12; i++) {
			this.clock.advance(Duration.ofMinutes(1));
			this.polls.pollWorkers();
		}
		assertThat(this.reports.workers("cluster")).extracting(WorkerReport::name).contains("alice");
		WorkerReport alice = report("alice");
		assertThat(alice.state()).isEqualTo(WorkerState.UNKNOWN);
		assertThat(alice.rules()).containsExactly(Rule.MASTER_INACTIVE);
		assertThat(alice.evidence().get(0)).contains("its Buildbot master 'workers-master' (id 2) is inactive");
		assertThat(report("bob").state()).isEqualTo(WorkerState.HEALTHY);
	}

	@Test
	void aRestartingMasterThatAnswersBeforeItIsActiveAgainMovesNobody() {
		this.clock.set(START);
		this.source.masters = List.of(new SourceMaster(1, "lab", true, START.minusSeconds(10)));
		this.source.workers = List.of(worker(1, "alice", 1, 1, true, false), worker(2, "bob", 2, 1, true, false));
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		assertThat(report("alice").state()).isEqualTo(WorkerState.HEALTHY);

		// Buildbot serves its API and takes its workers back before it marks itself active again: for a moment
		// the only master process is listed inactive while it answers. That is a restart, not a dead process.
		this.source.masters = List.of(new SourceMaster(1, "lab", false, START.minusSeconds(10)));
		this.clock.advance(Duration.ofSeconds(30));
		this.polls.pollWorkers();
		assertThat(report("alice").state()).isEqualTo(WorkerState.HEALTHY);
		assertThat(report("alice").rules()).doesNotContain(Rule.MASTER_INACTIVE);
		assertThat(report("bob").state()).isEqualTo(WorkerState.HEALTHY);
	}

	@Test
	void aDisconnectedWorkerWhoseBuildGoesOnIsNotOffline() {
		this.clock.set(START.plus(Duration.ofDays(1)));
		Instant t0 = this.clock.instant();
		this.source.masters = List.of();
		this.source.workers = List.of(worker(3, "carol", 1, 1, true, false));
		this.source.builds.add(new SourceBuild(10, 1, 1, 3L, t0.minusSeconds(60), null, false, null, "r1", "building"));
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		// Buildbot lists carol as disconnected, but her running build keeps finishing steps.
		this.source.workers = List.of(worker(3, "carol", 1, 1, false, false));
		this.clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		this.clock.advance(Duration.ofMinutes(80));
		this.source.steps = List.of(new SourceStep(0, "worker_preparation", 0, t0),
				new SourceStep(1, "compile", 0, this.clock.instant().minusSeconds(30)),
				new SourceStep(2, "test", null, null));
		this.polls.pollWorkers();
		WorkerReport carol = report("carol");
		assertThat(carol.state()).as(String.join("\n", carol.evidence())).isEqualTo(WorkerState.HEALTHY);
		assertThat(carol.evidence()).anySatisfy((e) -> assertThat(e).contains("but its running build finished a step at"));
	}

	@Test
	void pausesAreStatesAndHistoryAndWaitingWorkIsRead() {
		this.clock.set(START.plus(Duration.ofDays(2)));
		this.source.masters = List.of();
		this.source.workers = List.of(worker(4, "dave", 2, 1, true, false));
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		this.source.workers = List.of(worker(4, "dave", 2, 1, true, true));
		this.clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		assertThat(report("dave").state()).isEqualTo(WorkerState.PAUSED);
		assertThat(report("dave").pausedSince()).isEqualTo(this.clock.instant());

		// Unpaused while a request for its builder has waited two hours: what waited while it was paused is not
		// its fault.
		this.source.workers = List.of(worker(4, "dave", 2, 1, true, false));
		this.source.waiting = List.of(new SourceBuildRequest(7, 2, this.clock.instant().minus(Duration.ofHours(2))));
		this.clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		assertThat(report("dave").state()).isEqualTo(WorkerState.HEALTHY);

		// Connected, unpaused and idle for offline-after (1h) since, while the request still waits: unresponsive.
		this.clock.advance(Duration.ofHours(1));
		this.polls.pollWorkers();
		WorkerReport dave = report("dave");
		assertThat(dave.state()).isEqualTo(WorkerState.FLAKY_HOST);
		assertThat(dave.rules()).containsExactly(Rule.UNRESPONSIVE);
		assertThat(dave.transitions()).extracting(WorkerReport.TransitionView::kind).contains("paused", "unpaused");

		// It goes away and comes back (moved to another master and back): what waited meanwhile is not its fault.
		this.source.workers = List.of(worker(4, "dave", 2, 1, false, false));
		this.clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		this.source.workers = List.of(worker(4, "dave", 2, 1, true, false));
		this.clock.advance(Duration.ofMinutes(3));
		this.polls.pollWorkers();
		assertThat(report("dave").rules()).doesNotContain(Rule.UNRESPONSIVE);
		assertThat(report("dave").state()).isEqualTo(WorkerState.HEALTHY);
	}

}
