package org.fleethealth.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.fleethealth.MutableClock;
import org.fleethealth.fleet.internal.Builds;
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
 * How polled builds are stored (JDBC batches, not entities): running builds learn how they ended, texts are cut
 * to their columns, and each worker's "last build finished" follows the stored builds, including builds stored
 * before the worker was first seen.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:build-storage",
		"fake-fleet.master=store" })
@Import(FakeFleet.class)
@DirtiesContext
class BuildStorageTests {

	static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	FleetQueries fleet;

	private static SourceBuild finished(long id, long worker, Instant started, int minutes) {
		return new SourceBuild(id, (int) id, 1, worker, started, started.plus(Duration.ofMinutes(minutes)), true, 0,
				"rev" + id, "build successful");
	}

	private static SourceBuild running(long id, long worker, Instant started) {
		return new SourceBuild(id, (int) id, 1, worker, started, null, false, null, "rev" + id, "building");
	}

	private Instant lastFinished(String worker) {
		return this.fleet.worker("store", worker).orElseThrow().lastBuildFinishedAt();
	}

	private BuildSummary stored(long id) {
		return this.fleet.buildSummariesSince("store", START.minus(Duration.ofDays(30)))
			.stream()
			.filter((b) -> b.id() == id)
			.findFirst()
			.orElseThrow();
	}

	@Test
	void storesBuildsAndKeepsEachWorkersLastFinishedBuild() {
		Instant t0 = START.minus(Duration.ofHours(5));
		source.builders = List.of(new SourceBuilder(1, "gcc", List.of("gcc"), null));
		// Builds arrive before the workers poll has ever seen their workers.
		source.builds.add(finished(1, 7, t0, 10));
		source.builds.add(finished(2, 7, t0.plus(Duration.ofHours(1)), 10));
		source.builds.add(running(3, 8, t0.plus(Duration.ofHours(2))));
		source.builds.add(new SourceBuild(4, 4, 1, 8L, t0, t0.plus(Duration.ofMinutes(3)), true, 2, "r".repeat(600),
				"x".repeat(1200)));
		this.polls.pollBuilds();
		assertThat(this.fleet.master("store").orElseThrow().buildCursor()).isEqualTo(4L);
		assertThat(stored(3).complete()).isFalse();
		assertThat(stored(4).revision()).as("cut to the column").hasSize(500);
		assertThat(this.fleet.lastDecisiveBuildOfEachBuilder("store").get(1L).buildbotId()).as("a failure").isEqualTo(4L);
		assertThat(this.fleet.lastBuildFinishedByBuilder("store"))
			.containsEntry(1L, t0.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(10)));

		// The first heartbeat reads their last finished build from the history.
		source.workers = List.of(new SourceWorker(7, "erin", true, Set.of(1L), null, "host", "3.7.0", false),
				new SourceWorker(8, "fred", true, Set.of(1L), null, "host", "3.7.0", false));
		this.polls.pollWorkers();
		assertThat(lastFinished("erin")).isEqualTo(t0.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(10)));
		assertThat(lastFinished("fred")).isEqualTo(t0.plus(Duration.ofMinutes(3)));

		// The running build ends: it is re-read by id and its worker's last finished build moves forward.
		Instant fredsEnd = t0.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(40));
		source.builds.set(2, new SourceBuild(3, 3, 1, 8L, t0.plus(Duration.ofHours(2)), fredsEnd, true, 0, "rev3",
				"build successful"));
		// A new build that finished earlier than erin's last one does not move hers back.
		source.builds.add(finished(5, 7, t0, 1));
		clock.advance(Duration.ofMinutes(2));
		this.polls.pollBuilds();
		assertThat(source.calls).contains("builds [3]", "buildsAfter 3");
		assertThat(stored(3).complete()).isTrue();
		assertThat(stored(3).results()).isZero();
		assertThat(stored(3).completeAt()).isEqualTo(fredsEnd);
		assertThat(lastFinished("fred")).isEqualTo(fredsEnd);
		assertThat(lastFinished("erin")).isEqualTo(t0.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(10)));
		assertThat(this.fleet.lastDecisiveBuildOfEachBuilder("store").get(1L).buildbotId()).isEqualTo(5L);
		assertThat(this.fleet.lastBuildFinishedByBuilder("store")).containsEntry(1L, fredsEnd);

		// A heartbeat saving the worker rows again keeps the value (the column is not written from entities).
		clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		assertThat(lastFinished("fred")).isEqualTo(fredsEnd);
		assertThat(this.fleet.buildSummariesSince("store", START.minus(Duration.ofDays(30)))).hasSize(5);

		// Three builds fail; the master answers the first steps request (newest build first), then fails.
		for (long id = 6; id <= 8; id++) {
			source.builds.add(new SourceBuild(id, (int) id, 1, 7L, START.minus(Duration.ofMinutes(30)),
					START.minus(Duration.ofMinutes(20)), true, 2, "rev" + id, "failed"));
		}
		source.steps = List.of(new SourceStep(0, "worker_preparation", 0), new SourceStep(1, "git", 2));
		source.stepsBeforeFailure = 1;
		source.calls.clear();
		clock.advance(Duration.ofMinutes(2));
		this.polls.pollBuilds();
		assertThat(source.calls).contains("steps 8", "steps 7").doesNotContain("steps 6", "steps 5");
		assertThat(stored(8).failingStep()).as("read before the failure, kept").isEqualTo("git");
		assertThat(stored(7).failingStep()).isNull();
		assertThat(this.fleet.master("store").orElseThrow().lastError()).contains("steps of build 7");

		// The master is back: only the builds still without steps are asked for.
		source.stepsBeforeFailure = -1;
		source.calls.clear();
		clock.advance(Duration.ofMinutes(10));
		this.polls.pollBuilds();
		assertThat(source.calls).contains("steps 7", "steps 6").doesNotContain("steps 8");
		assertThat(stored(6).failingStep()).isEqualTo("git");
	}

}
