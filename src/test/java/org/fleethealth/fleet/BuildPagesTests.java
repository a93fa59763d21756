package org.fleethealth.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.fleethealth.MutableClock;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages of one builds poll are stored together, with the cursor after the last; a master that fails half-way
 * keeps the pages read before the failure, and the next poll goes on from there without asking for them again.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "fleet-health.poll.page-size=2",
		"fleet-health.poll.max-pages-per-poll=3", "spring.datasource.url=jdbc:h2:mem:build-pages",
		"fake-fleet.master=pages" })
@Import(FakeFleet.class)
@DirtiesContext
class BuildPagesTests {

	static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	FleetQueries fleet;

	private static SourceBuild finished(long id, Instant finishedAt) {
		return new SourceBuild(id, (int) id, 1, 7L, finishedAt.minus(Duration.ofMinutes(10)), finishedAt, true, 0,
				"rev" + id, "build successful");
	}

	private long cursor() {
		return this.fleet.master("pages").orElseThrow().buildCursor();
	}

	private List<Long> storedIds() {
		return this.fleet.buildSummariesSince("pages", START.minus(Duration.ofDays(30)))
			.stream()
			.map(BuildSummary::id)
			.sorted()
			.toList();
	}

	@Test
	void pagesReadBeforeAFailureAreKeptAndNotAskedForAgain() {
		source.builders = List.of(new SourceBuilder(1, "gcc", List.of("gcc"), null));
		source.workers = List.of(new SourceWorker(7, "erin", true, Set.of(1L), null, "host", "3.7.0", false));
		source.builds.add(finished(1, START.minus(Duration.ofHours(2))));
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		assertThat(cursor()).isEqualTo(1L);

		// Seven new builds: pages of two, three pages per poll, the first starting at the build at the cursor (1).
		// The master answers two pages, then fails.
		for (long id = 2; id <= 8; id++) {
			source.builds.add(finished(id, START.minus(Duration.ofHours(1)).plus(Duration.ofMinutes(id))));
		}
		source.pagesBeforeFailure = 2;
		source.calls.clear();
		clock.advance(Duration.ofMinutes(2));
		this.polls.pollBuilds();
		assertThat(source.calls).containsSubsequence("buildsAfter 0", "buildsAfter 2", "buildsAfter 4");
		assertThat(storedIds()).as("the two pages read before the failure").containsExactly(1L, 2L, 3L, 4L);
		assertThat(cursor()).isEqualTo(4L);
		assertThat(this.fleet.master("pages").orElseThrow().lastError()).contains("builds after 4");
		assertThat(this.fleet.worker("pages", "erin").orElseThrow().lastBuildFinishedAt())
			.as("moved by the pages that were stored")
			.isEqualTo(START.minus(Duration.ofHours(1)).plus(Duration.ofMinutes(4)));

		// The master is back (after the back-off): the poll goes on from build 4, not from the old cursor.
		source.pagesBeforeFailure = -1;
		source.calls.clear();
		clock.advance(Duration.ofMinutes(10));
		this.polls.pollBuilds();
		assertThat(source.calls).contains("buildsAfter 3").doesNotContain("buildsAfter 0", "buildsAfter 2");
		assertThat(storedIds()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
		assertThat(cursor()).isEqualTo(8L);
		assertThat(this.fleet.worker("pages", "erin").orElseThrow().lastBuildFinishedAt())
			.isEqualTo(START.minus(Duration.ofHours(1)).plus(Duration.ofMinutes(8)));
	}

}
