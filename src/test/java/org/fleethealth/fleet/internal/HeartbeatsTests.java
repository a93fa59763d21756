package org.fleethealth.fleet.internal;

import java.time.Instant;
import java.util.stream.Stream;

import org.fleethealth.source.SourceMaster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Restarts told from Buildbot's 60 s heartbeat, table-driven. */
class HeartbeatsTests {

	static final Instant L0 = Instant.parse("2026-11-27T12:00:07Z");

	static Stream<Arguments> table() {
		return Stream.of(Arguments.of("no heartbeat since", true, L0, true, L0, Heartbeats.Change.NONE),
				Arguments.of("one heartbeat later", true, L0, true, L0.plusSeconds(60), Heartbeats.Change.NONE),
				Arguments.of("a second late (whole seconds)", true, L0, true, L0.plusSeconds(121), Heartbeats.Change.NONE),
				Arguments.of("a second early", true, L0, true, L0.plusSeconds(179), Heartbeats.Change.NONE),
				Arguments.of("out of rhythm: restarted", true, L0, true, L0.plusSeconds(95), Heartbeats.Change.RESTARTED),
				Arguments.of("out of rhythm after minutes", true, L0, true, L0.plusSeconds(600 + 17),
						Heartbeats.Change.RESTARTED),
				Arguments.of("went inactive: stopped", true, L0, false, L0, Heartbeats.Change.STOPPED),
				Arguments.of("active again: started", false, L0, true, L0.plusSeconds(300), Heartbeats.Change.STARTED),
				Arguments.of("still inactive", false, L0, false, L0, Heartbeats.Change.NONE),
				Arguments.of("no heartbeat known before", true, null, true, L0, Heartbeats.Change.NONE),
				Arguments.of("heartbeat moved back (clock reset)", true, L0, true, L0.minusSeconds(30),
						Heartbeats.Change.NONE));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("table")
	void tellsRestartsFromHeartbeats(String name, boolean wasActive, Instant before, boolean active, Instant now,
			Heartbeats.Change expected) {
		assertThat(Heartbeats.compare(wasActive, before, new SourceMaster(1, "m", active, now))).isEqualTo(expected);
	}

}
