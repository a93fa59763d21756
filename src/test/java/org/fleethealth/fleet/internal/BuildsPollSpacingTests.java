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
	void theFirstEventIsReadAtOnce() {
		assertThat(this.spacing.due(T0)).isTrue();
	}

	@Test
	void anEventSoonAfterAPollWaitsForTheIntervalToPass() {
		this.spacing.polled(T0);
		assertThat(this.spacing.due(T0.plusSeconds(11))).isFalse();
		assertThat(this.spacing.due(T0.plusMillis(59_500))).isFalse();
		assertThat(this.spacing.due(T0.plusSeconds(60))).isTrue();
	}

	@Test
	void anEventLongAfterThePollIsReadAtOnce() {
		this.spacing.polled(T0);
		assertThat(this.spacing.due(T0.plusSeconds(300))).isTrue();
	}

	@Test
	void eventsOneEveryElevenSecondsCostOnePollAMinute() {
		// LLVM's 4,000 builds a day, a start and a finish each: an event about every 11 seconds. As LiveStreams
		// does, a poll is looked at a second after the first event not yet read and every second after that until
		// it is due; the events heard meanwhile wait for it.
		Instant lookAt = null;
		int polls = 0;
		for (long second = 0; second < 66 * 60; second++) {
			Instant now = T0.plusSeconds(second);
			if (lookAt != null && !lookAt.isAfter(now) && this.spacing.due(now)) {
				this.spacing.polled(now);
				polls++;
				lookAt = null;
			}
			if (second % 11 == 0 && lookAt == null) {
				lookAt = now.plus(BuildsPollSpacing.BATCH);
			}
		}
		// 360 events over 66 minutes.
		assertThat(polls).isBetween(60, 67);
	}

}
