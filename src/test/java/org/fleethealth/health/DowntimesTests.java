package org.fleethealth.health;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Planned downtime windows as CPython keeps them: weekly, nightly, one-off; a bad window is refused at start. */
class DowntimesTests {

	private static DowntimeProperties.Window weekly(String... workers) {
		return new DowntimeProperties.Window(List.of(workers), List.of("WED"), "08:00", "10:00", "America/Los_Angeles",
				null, null, null);
	}

	@Test
	void aWeeklyWindowInItsOwnZone() {
		Downtimes downtimes = new Downtimes(new DowntimeProperties(List.of(weekly("cpython-win*"))));
		// Wednesday 2026-12-02, 08:30 in Los Angeles is 16:30 UTC.
		Instant inside = Instant.parse("2026-12-02T16:30:00Z");
		assertThat(downtimes.current("cpython-win11", inside)).hasValueSatisfying((d) -> {
			assertThat(d.until()).isEqualTo(Instant.parse("2026-12-02T18:00:00Z"));
			assertThat(d.reason()).isEqualTo("planned downtime Wed 08:00-10:00 America/Los_Angeles");
		});
		assertThat(downtimes.current("cpython-linux", inside)).as("not covered").isEmpty();
		assertThat(downtimes.current("cpython-win11", Instant.parse("2026-12-02T18:00:00Z"))).as("ended").isEmpty();
		assertThat(downtimes.current("cpython-win11", Instant.parse("2026-12-03T16:30:00Z"))).as("Thursday").isEmpty();
		assertThat(downtimes.lastEnded("cpython-win11", Instant.parse("2026-12-01T00:00:00Z"),
				Instant.parse("2026-12-02T19:00:00Z")))
			.contains(Instant.parse("2026-12-02T18:00:00Z"));
		assertThat(downtimes.lastEnded("cpython-win11", Instant.parse("2026-12-02T18:30:00Z"),
				Instant.parse("2026-12-02T19:00:00Z")))
			.as("it disconnected after the window").isEmpty();
	}

	@Test
	void aNightlyWindowCrossesMidnight() {
		Downtimes downtimes = new Downtimes(new DowntimeProperties(List.of(new DowntimeProperties.Window(
				List.of("backup-host"), List.of(), "22:00", "02:00", null, null, null, "nightly backup"))));
		assertThat(downtimes.current("backup-host", Instant.parse("2026-12-02T01:00:00Z")))
			.hasValueSatisfying((d) -> assertThat(d.until()).isEqualTo(Instant.parse("2026-12-02T02:00:00Z")));
		assertThat(downtimes.current("backup-host", Instant.parse("2026-12-02T23:00:00Z")))
			.hasValueSatisfying((d) -> assertThat(d.reason()).isEqualTo("nightly backup"));
		assertThat(downtimes.current("backup-host", Instant.parse("2026-12-02T12:00:00Z"))).isEmpty();
	}

	@Test
	void aOneOffWindowAndTheSchedule() {
		Downtimes downtimes = new Downtimes(new DowntimeProperties(List.of(
				new DowntimeProperties.Window(List.of("bob-freebsd"), null, null, null, null, "2026-12-24T00:00:00Z",
						"2026-12-27T00:00:00+01:00", "holidays"),
				weekly("cpython-win11"))));
		Instant now = Instant.parse("2026-12-01T12:00:00Z");
		assertThat(downtimes.schedule(now)).extracting(Downtimes.Scheduled::start)
			.containsExactly(Instant.parse("2026-12-02T16:00:00Z"), Instant.parse("2026-12-24T00:00:00Z"));
		assertThat(downtimes.schedule(Instant.parse("2026-12-25T00:00:00Z")))
			.anySatisfy((s) -> {
				assertThat(s.inForce()).isTrue();
				assertThat(s.end()).isEqualTo(Instant.parse("2026-12-26T23:00:00Z"));
				assertThat(s.reason()).isEqualTo("holidays");
			});
	}

	@Test
	void aBadWindowIsRefusedWithItsName() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Downtimes(new DowntimeProperties(List.of(new DowntimeProperties.Window(List.of("w"),
					List.of("WED"), "8am", "10:00", null, null, null, null)))))
			.withMessageContaining("fleet-health.downtime[0].from '8am' is not a time of day");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Downtimes(new DowntimeProperties(List.of(new DowntimeProperties.Window(List.of("w"),
					List.of("Caturday"), "08:00", "10:00", null, null, null, null)))))
			.withMessageContaining("'Caturday' is not a day");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Downtimes(new DowntimeProperties(List.of(new DowntimeProperties.Window(List.of("w"),
					null, "08:00", "10:00", "Mars/Olympus", null, null, null)))))
			.withMessageContaining("zone 'Mars/Olympus' is not an IANA zone");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Downtimes(new DowntimeProperties(List.of(new DowntimeProperties.Window(List.of("w"),
					null, "08:00", null, null, "2026-12-24T00:00:00Z", null, null)))))
			.withMessageContaining("needs either .from and .to");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Downtimes(new DowntimeProperties(List.of(new DowntimeProperties.Window(List.of(),
					null, "08:00", "09:00", null, null, null, null)))))
			.withMessageContaining("fleet-health.downtime[0].workers is empty");
	}

}
