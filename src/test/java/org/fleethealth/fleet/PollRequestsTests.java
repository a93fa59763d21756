package org.fleethealth.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.fleethealth.MutableClock;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceException;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What builds polls ask a master, counted on an in-memory master: no request more than needed when nothing is
 * new, a reset master still noticed, and every build seen running re-read, a bounded chunk per poll; and when a failed
 * poll is asked again.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:poll-requests",
		"fleet-health.poll.page-size=2", "fleet-health.poll.max-running-refresh=3", "fake-fleet.master=counted" })
@Import(FakeFleet.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class PollRequestsTests {

	static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	FleetQueries fleet;

	@BeforeEach
	void fleet() {
		this.source.builders = List.of(new SourceBuilder(1, "gcc", List.of("gcc"), null));
		this.source.workers = List.of(new SourceWorker(7, "erin", true, Set.of(1L), null, "host", "3.7.0", false));
	}

	private static SourceBuild finished(long id) {
		Instant started = START.minus(Duration.ofHours(3)).plus(Duration.ofMinutes(id));
		return new SourceBuild(id, (int) id, 1, 7L, started, started.plus(Duration.ofMinutes(5)), true, 0, "rev" + id,
				"build successful");
	}

	private static SourceBuild running(long id) {
		Instant started = START.minus(Duration.ofHours(2)).plus(Duration.ofMinutes(id));
		return new SourceBuild(id, (int) id, 1, 7L, started, null, false, null, null, "building");
	}

	private List<String> buildRequests() {
		return this.source.calls.stream().filter((c) -> c.startsWith("builds")).toList();
	}

	private Long cursor() {
		return this.fleet.master("counted").orElseThrow().buildCursor();
	}

	private BuildSummary stored(long id) {
		return this.fleet.buildSummariesSince("counted", START.minus(Duration.ofDays(30)))
			.stream()
			.filter((b) -> b.id() == id)
			.findFirst()
			.orElseThrow();
	}

	private void pollAgain() {
		this.source.calls.clear();
		this.clock.advance(Duration.ofMinutes(2));
		this.polls.pollBuilds();
	}

	@Test
	void aPollThatFindsNothingNewSendsOneBuildsRequestAndAResetIsStillNoticed() {
		for (long id = 1; id <= 3; id++) {
			this.source.builds.add(finished(id));
		}
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		assertThat(cursor()).isEqualTo(3L);

		// Nothing new: one request, which also shows the master still has the newest build stored.
		pollAgain();
		assertThat(buildRequests()).containsExactly("buildsAfter 2");
		pollAgain();
		assertThat(buildRequests()).hasSize(1);

		// New builds: the pages and nothing else (pages of two: the build at the cursor, then 4; then 5).
		this.source.builds.add(finished(4));
		this.source.builds.add(finished(5));
		pollAgain();
		assertThat(buildRequests()).containsExactly("buildsAfter 2", "buildsAfter 4");
		assertThat(cursor()).isEqualTo(5L);

		// The master's database is recreated: it numbers builds from 1 again, and the build at the cursor is gone.
		this.source.builds.clear();
		this.source.builds.add(finished(1));
		this.source.builds.add(finished(2));
		pollAgain();
		assertThat(buildRequests()).containsExactly("buildsAfter 4", "buildsBefore " + Long.MAX_VALUE);
		assertThat(cursor()).as("reset, to backfill again").isNull();
		pollAgain();
		assertThat(cursor()).isEqualTo(2L);
	}

	@Test
	void eachPollKindBacksOffOnItsOwnAndAFailingOneNeverDelaysTheHeartbeat() {
		this.source.builds.add(finished(1));
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		assertThat(cursor()).isEqualTo(1L);

		// The builds request starts failing; workers and builders still answer.
		this.source.pagesBeforeFailure = 0;
		pollAgain();
		assertThat(this.source.calls).containsExactly("builders", "buildsAfter 0");

		// One minute later the heartbeat runs as always: the builds back-off is not its business.
		this.source.calls.clear();
		this.clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		assertThat(this.source.calls).containsExactly("workers", "masters", "waiting");

		// Two minutes after the failure builds are tried again and fail again: now they wait twice as long,
		// though builders keeps succeeding in between.
		this.source.calls.clear();
		this.clock.advance(Duration.ofMinutes(1));
		this.polls.pollBuilds();
		assertThat(this.source.calls).containsExactly("builders", "buildsAfter 0");
		pollAgain();
		assertThat(this.source.calls).as("builds waits 4 minutes; builders does not").containsExactly("builders");
		this.source.calls.clear();
		this.clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		assertThat(this.source.calls).containsExactly("workers", "masters", "waiting");
		pollAgain();
		assertThat(this.source.calls).containsExactly("builders", "buildsAfter 0");
		assertThat(this.fleet.polls("counted")).extracting(PollKindState::kind, PollKindState::consecutiveFailures,
				PollKindState::nextAttemptAt)
			.containsExactly(tuple(PollKind.WORKERS, 0, null), tuple(PollKind.BUILDERS, 0, null),
					tuple(PollKind.BUILDS, 3, this.clock.instant().plus(Duration.ofMinutes(8))),
					tuple(PollKind.STEPS, 0, null));
		assertThat(this.fleet.master("counted").orElseThrow().up())
			.as("a master whose builds keep failing is not up because its workers and builders answer")
			.isFalse();

		// The master answers again: builds come back, and a failing steps request backs off on its own.
		this.source.pagesBeforeFailure = -1;
		this.source.stepsBeforeFailure = 0;
		this.source.builds.add(new SourceBuild(2, 2, 1, 7L, START.minus(Duration.ofMinutes(30)),
				START.minus(Duration.ofMinutes(20)), true, 2, "rev2", "failed"));
		this.clock.advance(Duration.ofMinutes(8));
		this.source.calls.clear();
		this.polls.pollBuilds();
		assertThat(this.source.calls).containsExactly("builders", "buildsAfter 0", "buildsAfter 2", "steps 2");
		assertThat(cursor()).isEqualTo(2L);
		this.source.builds.add(finished(3));
		pollAgain();
		assertThat(this.source.calls).containsExactly("builders", "buildsAfter 1", "buildsAfter 3", "steps 2");
		pollAgain();
		assertThat(this.source.calls).as("steps waits 4 minutes; builds go on").containsExactly("builders", "buildsAfter 2");
		assertThat(cursor()).isEqualTo(3L);
		this.source.stepsBeforeFailure = -1;
		this.clock.advance(Duration.ofMinutes(4));
		pollAgain();
		assertThat(this.fleet.master("counted").orElseThrow().up()).as("every kind answers again").isTrue();
	}

	@Test
	void afterAnOutageTheKindsThatBackedOffAreTriedAtTheirNextIntervalNotAtTheEndOfTheirBackOff() {
		this.source.builds.add(finished(1));
		this.polls.pollWorkers();
		this.polls.pollBuilds();

		// The master is down for a while: workers and builders fail (builds are not asked without builders), and
		// each backs off further at every attempt; builders was tried last.
		this.source.failure = new SourceException("no connection: nothing listens at that address and port");
		for (int i = 0; i < 5; i++) {
			this.clock.advance(Duration.ofMinutes(2));
			this.polls.pollWorkers();
			this.polls.pollBuilds();
		}
		this.clock.set(nextAttempt(PollKind.BUILDERS));
		this.polls.pollBuilds();
		Instant heartbeat = nextAttempt(PollKind.WORKERS);
		assertThat(nextAttempt(PollKind.BUILDERS)).as("builders backs off past the next heartbeat").isAfter(heartbeat);

		// It answers again. The heartbeat sees it first, and builders, tried at its next interval rather than at
		// the end of its back-off, answers too: the master reads as up again within moments.
		this.source.failure = null;
		this.clock.set(heartbeat);
		this.polls.pollWorkers();
		assertThat(nextAttempt(PollKind.BUILDERS)).isNull();
		assertThat(this.fleet.master("counted").orElseThrow().up()).as("builders has not answered yet").isFalse();
		this.source.calls.clear();
		this.polls.pollBuilds();
		assertThat(this.source.calls).contains("builders", "buildsAfter 0");
		assertThat(this.fleet.master("counted").orElseThrow().up()).isTrue();

		// A kind that fails after the outage has ended backs off on its own again.
		this.source.pagesBeforeFailure = 0;
		pollAgain();
		assertThat(this.fleet.polls("counted")).filteredOn((p) -> p.kind() == PollKind.BUILDS)
			.singleElement()
			.satisfies((p) -> assertThat(p.nextAttemptAt()).isAfter(this.clock.instant()));
	}

	private Instant nextAttempt(PollKind kind) {
		return this.fleet.polls("counted")
			.stream()
			.filter((p) -> p.kind() == kind)
			.findFirst()
			.orElseThrow()
			.nextAttemptAt();
	}

	@Test
	void everyRunningBuildIsReReadInBoundedChunksSoANewerOneThatEndsIsSeen() {
		// Seven builds are running, more than one poll re-reads (3): the oldest ones stay stuck.
		for (long id = 1; id <= 7; id++) {
			this.source.builds.add(running(id));
		}
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		assertThat(cursor()).isEqualTo(7L);

		// The newest one ends; the six before it never do.
		this.source.builds.set(6, finished(7));
		for (int poll = 0; poll < 3 && !stored(7).complete(); poll++) {
			pollAgain();
			assertThat(buildRequests()).filteredOn((c) -> c.startsWith("builds ["))
				.allSatisfy((c) -> assertThat(c.split(",")).as(c).hasSizeLessThanOrEqualTo(3));
		}
		assertThat(stored(7).complete()).as("seen ending within ceil(7 / 3) polls").isTrue();
		assertThat(stored(7).results()).isZero();

		// The rotation goes on over the ones still running: each is asked for again within three polls.
		List<String> asked = new java.util.ArrayList<>();
		for (int poll = 0; poll < 2; poll++) {
			pollAgain();
			asked.addAll(buildRequests().stream().filter((c) -> c.startsWith("builds [")).toList());
		}
		String all = String.join(",", asked).replaceAll("[^0-9,]", ",");
		assertThat(Arrays.stream(all.split(",")).filter((s) -> !s.isEmpty()).map(Long::valueOf).toList())
			.containsAll(List.of(1L, 2L, 3L, 4L, 5L, 6L))
			.doesNotContain(7L);
	}

	/**
	 * A failed poll is retried by the poll job's run nearest the time the failure set, not by the run after it: the
	 * job fires a few milliseconds before that time, since the failure ended a moment after its own run started (a
	 * user saw "next try in PT15S" retried after 30 s, "PT1M" after 75 s).
	 */
	@Test
	void eachRetryRunsAtTheJobRunNearestItsTime() {
		Duration early = Duration.ofMillis(13);
		this.polls.pollWorkers();
		this.source.failure = new SourceException("Connection refused");
		this.clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		assertThat(workersPoll().nextAttemptAt()).as("one interval after the first failure")
			.isEqualTo(this.clock.instant().plusSeconds(60));

		// The job's next run, a moment before: it retries (and fails again: the wait doubles to two minutes).
		this.source.calls.clear();
		this.clock.advance(Duration.ofMinutes(1).minus(early));
		this.polls.pollWorkers();
		assertThat(this.source.calls).contains("workers");
		assertThat(workersPoll().consecutiveFailures()).isEqualTo(2);

		// The run one interval later is half-way through the wait: skipped. The one after retries.
		this.source.calls.clear();
		this.clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		assertThat(this.source.calls).isEmpty();
		this.clock.advance(Duration.ofMinutes(1).minus(early));
		this.source.failure = null;
		this.polls.pollWorkers();
		assertThat(this.source.calls).contains("workers");
		assertThat(workersPoll().consecutiveFailures()).isZero();
	}

	private PollKindState workersPoll() {
		return this.fleet.polls("counted").stream().filter((p) -> p.kind() == PollKind.WORKERS).findFirst().orElseThrow();
	}

}
