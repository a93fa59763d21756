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
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first sync reads back to the lookback, beyond the pages one poll reads later (a trial of CPython's shape: at
 * 1,275 builds a day, 25 pages of 200 stopped at 4 of the window's 7 days, and older builds were never read); where
 * {@code max-backfill-pages} stops it first, the log says how far back it got.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "fleet-health.poll.page-size=2",
		"fleet-health.poll.max-pages-per-poll=2", "fleet-health.poll.max-backfill-pages=5",
		"spring.datasource.url=jdbc:h2:mem:backfill", "fake-fleet.master=backfill" })
@Import(FakeFleet.class)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class BackfillTests {

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	FleetQueries fleet;

	@Test
	void theFirstSyncReadsBeyondThePagesOfOnePollUpToItsOwnLimit(CapturedOutput output) {
		Instant now = this.clock.instant();
		source.builders = List.of(new SourceBuilder(1, "gcc", List.of("gcc"), null));
		source.workers = List.of(new SourceWorker(7, "erin", true, Set.of(1L), null, "host", "3.7.0", false));
		// Twelve builds over the last 12 days (lookback 14): six pages of two. One poll reads two pages later, the
		// first sync five.
		for (long id = 1; id <= 12; id++) {
			Instant started = now.minus(Duration.ofDays(13 - id));
			source.builds.add(new SourceBuild(id, (int) id, 1, 7L, started, started.plus(Duration.ofMinutes(10)), true,
					0, "rev" + id, "build successful"));
		}
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		assertThat(this.fleet.buildsStartedSince("backfill", now.minus(Duration.ofDays(30)))).extracting(FleetBuild::buildbotId)
			.containsExactlyInAnyOrder(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
		assertThat(this.fleet.master("backfill").orElseThrow().buildCursor()).isEqualTo(12L);
		assertThat(output).contains("Backfilled 10 builds of master 'backfill', back to builds started at "
				+ now.minus(Duration.ofDays(10)))
			.contains("fleet-health.poll.max-backfill-pages (5) pages of page-size (2) builds");
	}

}
