package org.fleethealth.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.fleethealth.MutableClock;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceStep;
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
 * {@code max-backfill-pages} stops it first, the log says how far back it got, and warns where that is short of a
 * verdict's reach. The failing steps of its failed
 * builds are read {@code max-step-fetches-first-sync} a poll, not {@code max-step-fetches}, and the log says how many
 * are left: the first judgement waits for them.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "fleet-health.poll.page-size=2",
		"fleet-health.poll.max-pages-per-poll=2", "fleet-health.poll.max-backfill-pages=5",
		"fleet-health.poll.max-step-fetches=1", "fleet-health.poll.max-step-fetches-first-sync=3",
		"fleet-health.gate.stable-after=P11D",
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
					(id % 2 == 0) ? 2 : 0, "rev" + id, "done"));
		}
		source.steps = List.of(new SourceStep(0, "compile", 0), new SourceStep(1, "test", 2));
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		assertThat(this.fleet.buildsStartedSince("backfill", now.minus(Duration.ofDays(30)))).extracting(FleetBuild::buildbotId)
			.containsExactlyInAnyOrder(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
		assertThat(this.fleet.master("backfill").orElseThrow().buildCursor()).isEqualTo(12L);
		assertThat(output).contains("Backfilled 10 builds of master 'backfill', back to builds started at "
				+ now.minus(Duration.ofDays(10)))
			.contains("fleet-health.poll.max-backfill-pages (5) pages of page-size (2) builds");
		// Ten days read: the classifier's 7-day window is covered, the gate's 11-day stable-after is not, and the
		// warning names only that.
		assertThat(output.toString().lines().filter((l) -> l.contains("Backfilled"))).singleElement()
			.satisfies((line) -> assertThat(line).contains("WARN")
				.contains("Verdicts over fleet-health.gate.stable-after (11d) count fewer builds")
				.doesNotContain("classification.window"));
		// Five failed builds stored: the first poll reads the steps of max-step-fetches-first-sync (3) of them, not
		// max-step-fetches (1), newest first, and says how many are left; the next poll reads the rest.
		assertThat(source.calls).filteredOn((c) -> c.startsWith("steps "))
			.containsExactly("steps 12", "steps 10", "steps 8");
		assertThat(output).contains("Master 'backfill': reading the failing steps of 3 of the 5 failed builds of its"
				+ " first sync whose steps are not read yet");
		source.calls.clear();
		this.clock.advance(Duration.ofMinutes(2));
		this.polls.pollBuilds();
		assertThat(source.calls).filteredOn((c) -> c.startsWith("steps ")).containsExactly("steps 6", "steps 4");

		// Later, failed builds' steps are read max-step-fetches (1) a poll again (this poll reads builds 13 to 15).
		for (long id = 13; id <= 16; id++) {
			Instant started = now.minus(Duration.ofMinutes(60 - id));
			source.builds.add(new SourceBuild(id, (int) id, 1, 7L, started, started.plus(Duration.ofMinutes(10)), true,
					2, "rev" + id, "done"));
		}
		source.calls.clear();
		this.clock.advance(Duration.ofMinutes(2));
		this.polls.pollBuilds();
		assertThat(source.calls).filteredOn((c) -> c.startsWith("steps ")).containsExactly("steps 15");
	}

}
