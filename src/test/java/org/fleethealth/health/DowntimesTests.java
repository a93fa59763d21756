package org.fleethealth.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.FleetWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/** Planned downtime windows as CPython keeps them: weekly, nightly, one-off; a bad window is refused at start. */
@ExtendWith(OutputCaptureExtension.class)
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
		Duration hour = Duration.ofHours(1);
		assertThat(downtimes.lastEnded("cpython-win11", Instant.parse("2026-12-02T15:30:00Z"), hour,
				Instant.parse("2026-12-02T19:00:00Z")))
			.as("it went away half an hour before the window").contains(Instant.parse("2026-12-02T18:00:00Z"));
		assertThat(downtimes.lastEnded("cpython-win11", Instant.parse("2026-12-01T00:00:00Z"), hour,
				Instant.parse("2026-12-02T19:00:00Z")))
			.as("offline a day and a half before it began: the window plans nothing for it").isEmpty();
		assertThat(downtimes.lastEnded("cpython-win11", Instant.parse("2026-12-02T15:30:00Z"), hour,
				Instant.parse("2026-12-09T19:00:00Z")))
			.as("a week on, the next Wednesday's window began when it was offline already: the first one counts")
			.contains(Instant.parse("2026-12-02T18:00:00Z"));
		assertThat(downtimes.lastEnded("cpython-win11", Instant.parse("2026-12-02T18:30:00Z"), hour,
				Instant.parse("2026-12-02T19:00:00Z")))
			.as("it disconnected after the window").isEmpty();
	}

	@Test
	void windowsThatCannotDoAnythingAreWarnedAbout(CapturedOutput output) {
		Downtimes downtimes = new Downtimes(new DowntimeProperties(List.of(weekly("cpython-win*"),
				weekly("zed-*", "nosuch-worker"), new DowntimeProperties.Window(List.of("bob-freebsd"), null, null, null,
						null, "2025-11-01T00:00:00Z", "2025-11-02T00:00:00Z", "last year's move"))));
		FleetQueries fleet = mock(FleetQueries.class);
		given(fleet.masterNames()).willReturn(List.of("python", "staging"));
		DowntimeChecks checks = new DowntimeChecks(downtimes, fleet,
				Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC));
		assertThat(output).contains("fleet-health.downtime[2] (workers 'bob-freebsd') ended at 2025-11-02T00:00:00Z,"
				+ " before this start: it puts no worker in planned downtime any more");

		checks.read("python", List.of(worker("cpython-win11")));
		assertThat(output).as("not before every watched master's workers were read").doesNotContain("covers none");
		checks.read("staging", List.of(worker("bob-freebsd")));
		assertThat(output).contains("fleet-health.downtime[1] (workers 'zed-*', 'nosuch-worker') covers none of the"
				+ " workers of the watched masters")
			.doesNotContain("downtime[0] (workers 'cpython-win*') covers none")
			.doesNotContain("downtime[2] (workers 'bob-freebsd') covers none");
	}

	private static FleetWorker worker(String name) {
		return new FleetWorker(1L, "python", name, 1L, true, true, true, false, null, null, null, null, null, null,
				null, null, null, Set.of(), null, Set.of(), Set.of(), null, null);
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
