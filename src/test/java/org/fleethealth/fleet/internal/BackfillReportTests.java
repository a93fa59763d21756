package org.fleethealth.fleet.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.fleethealth.fleet.BuildHistoryNeed;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trial with LLVM's shape (4,000 builds a day) saw every first sync stop at max-backfill-pages short of the 14-day
 * lookback, and the log warn that verdicts were short and advise wiping the database, though the 7-day window and
 * stable-after were read in full.
 */
class BackfillReportTests {

	static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

	static final BuildHistoryNeed WINDOW = need("fleet-health.classification.window", Duration.ofDays(7));

	static final BuildHistoryNeed STABLE_AFTER = need("fleet-health.gate.stable-after", Duration.ofDays(9));

	static BackfillReport readBack(Duration covered) {
		return new BackfillReport("llvm", 50_000, NOW.minus(covered), NOW.minus(Duration.ofDays(14)), NOW, 250, 200);
	}

	@Test
	void aBackfillThatCoversEveryVerdictsReachCutsNothingShort() {
		BackfillReport report = readBack(Duration.ofDays(12).plusHours(3));
		assertThat(report.cutShort(List.of(WINDOW, STABLE_AFTER))).isEmpty();
		assertThat(report.text(List.of(WINDOW, STABLE_AFTER)))
			.startsWith("Backfilled 50000 builds of master 'llvm', back to builds started at 2026-11-19T09:00:00Z"
					+ " (12d 3h ago), not to 2026-11-17T12:00:00Z (lookback)")
			.contains("That covers fleet-health.classification.window (7d) and fleet-health.gate.stable-after (9d)")
			.doesNotContain("empty database");
	}

	@Test
	void aBackfillShortOfAReachNamesTheSettingsItCutsShort() {
		BackfillReport report = readBack(Duration.ofDays(8));
		assertThat(report.cutShort(List.of(WINDOW, STABLE_AFTER))).containsExactly(STABLE_AFTER);
		assertThat(report.text(List.of(WINDOW, STABLE_AFTER)))
			.contains("Verdicts over fleet-health.gate.stable-after (9d) count fewer builds")
			.contains("raise max-backfill-pages and start from an empty database");

		BackfillReport shorter = readBack(Duration.ofDays(3));
		assertThat(shorter.cutShort(List.of(WINDOW, STABLE_AFTER))).containsExactly(STABLE_AFTER, WINDOW);
	}

	static BuildHistoryNeed need(String property, Duration reach) {
		return new BuildHistoryNeed() {
			@Override
			public String property() {
				return property;
			}

			@Override
			public Duration reach() {
				return reach;
			}
		};
	}

}
