package org.fleethealth.fleet.internal;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The builds polls a master's event stream asks for: a second after the first event, then no more than one per
 * {@code poll.stream-builds-interval}, however the events are spread.
 */
class BuildsPollSpacingTests {

	private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

	private final BuildsPollSpacing spacing = new BuildsPollSpacing(Duration.ofMinutes(1));

	@Test
	void theFirstEventIsReadASecondLater() {
		assertThat(this.spacing.delay(T0)).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void anEventSoonAfterAPollWaitsForTheIntervalToPass() {
		this.spacing.polled(T0);
		assertThat(this.spacing.delay(T0.plusSeconds(11))).isEqualTo(Duration.ofSeconds(49));
		assertThat(this.spacing.delay(T0.plusMillis(59_500))).as("never sooner than the burst's second")
			.isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void anEventLongAfterThePollIsReadASecondLater() {
		this.spacing.polled(T0);
		assertThat(this.spacing.delay(T0.plusSeconds(300))).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void eventsOneEveryElevenSecondsCostOnePollAMinute() {
		// LLVM's 4,000 builds a day, a start and a finish each: an event about every 11 seconds. Each poll runs
		// when its delay has passed; the events heard meanwhile wait for it.
		Instant now = T0;
		Instant due = null;
		int polls = 0;
		for (int event = 0; event < 360; event++) {
			now = T0.plusSeconds(11L * event);
			if (due != null && !due.isAfter(now)) {
				this.spacing.polled(due);
				polls++;
				due = null;
			}
			if (due == null) {
				due = now.plus(this.spacing.delay(now));
			}
		}
		// 360 events over 66 minutes.
		assertThat(polls).isBetween(60, 67);
	}

}
