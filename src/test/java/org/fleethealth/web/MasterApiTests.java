package org.fleethealth.web;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.MasterStatus;
import org.fleethealth.fleet.PollKind;
import org.fleethealth.fleet.PollKindState;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

/** {@code /api/masters}: the master-wide summary as before, and each kind of poll with its own back-off. */
@WebSliceTest
class MasterApiTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private FleetQueries fleet;

	@Test
	void eachMasterSaysHowItsPollsGoAndHowEachKindBacksOff() {
		MasterStatus lab = new MasterStatus("lab", "http://127.0.0.1:8010/", false, PageFixtures.NOW,
				PageFixtures.NOW.minusSeconds(60), null, null, "master 'lab' (GET .../api/v2/builds) answered HTTP 503",
				"builds", PageFixtures.NOW, 1, PageFixtures.NOW.plus(Duration.ofMinutes(4)), 42L);
		given(this.fleet.masterNames()).willReturn(List.of("lab", "new"));
		given(this.fleet.master("lab")).willReturn(Optional.of(lab));
		given(this.fleet.master("new")).willReturn(Optional.empty());
		given(this.fleet.polls("lab")).willReturn(List.of(
				new PollKindState(PollKind.WORKERS, PageFixtures.NOW.minusSeconds(60), PageFixtures.NOW.minusSeconds(60),
						0, null),
				new PollKindState(PollKind.BUILDS, PageFixtures.NOW, PageFixtures.NOW.minusSeconds(600), 2,
						PageFixtures.NOW.plus(Duration.ofMinutes(4)))));

		var json = assertThat(this.mvc.get().uri("/api/masters").exchange()).hasStatusOk().bodyJson();
		json.extractingPath("$[0].name").isEqualTo("lab");
		json.extractingPath("$[0].up").isEqualTo(false);
		json.extractingPath("$[0].lastError.kind").isEqualTo("builds");
		json.extractingPath("$[0].consecutiveFailures").isEqualTo(1);
		json.extractingPath("$[0].nextAttempt").isEqualTo("2026-11-27T12:04:00Z");
		json.extractingPath("$[0].buildCursor").isEqualTo(42);
		json.extractingPath("$[0].polls.workers.consecutiveFailures").isEqualTo(0);
		json.extractingPath("$[0].polls.workers.nextAttempt").isNull();
		json.extractingPath("$[0].polls.builds.consecutiveFailures").isEqualTo(2);
		json.extractingPath("$[0].polls.builds.lastSuccess").isEqualTo("2026-11-27T11:50:00Z");
		json.extractingPath("$[0].polls.builds.nextAttempt").isEqualTo("2026-11-27T12:04:00Z");
		json.extractingPath("$[1].name").isEqualTo("new");
		json.extractingPath("$[1].up").isEqualTo(false);
		json.extractingPath("$[1].polls").isEqualTo(java.util.Map.of());
	}

}
