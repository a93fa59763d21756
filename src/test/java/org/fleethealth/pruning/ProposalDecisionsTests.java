package org.fleethealth.pruning;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.fleethealth.SyncEvents;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

/**
 * Maintainers' decisions through the whole service: a proposal is decided once; an approved, rejected or
 * withdrawn one answers 409 on the API and the page, and keeps who decided it.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "fleet-health.mail.enabled=false",
		"spring.datasource.url=jdbc:h2:mem:proposal-decisions" })
@AutoConfigureMockMvc
@DirtiesContext
@Import(SyncEvents.class)
class ProposalDecisionsTests {

	static final String PASSWORD = "decide-once-Qv3";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	Proposals proposals;

	@Autowired
	Clock clock;

	@Autowired
	OwnerReplies replies;

	@Autowired
	PruningService pruning;

	@DynamicPropertySource
	static void users(DynamicPropertyRegistry registry) {
		String hash = "{bcrypt}" + new BCryptPasswordEncoder(4).encode(PASSWORD);
		registry.add("fleet-health.security.users[0].name", () -> "jane");
		registry.add("fleet-health.security.users[0].password", () -> hash);
		registry.add("fleet-health.security.users[0].roles", () -> "MAINTAINER");
		registry.add("fleet-health.security.users[1].name", () -> "joe");
		registry.add("fleet-health.security.users[1].password", () -> hash);
		registry.add("fleet-health.security.users[1].roles", () -> "MAINTAINER");
	}

	private long proposed(String worker) {
		return this.proposals.save(new Proposal("lab", worker, ProposalKind.REMOVE_WORKER, "offline for 31d",
				List.of("gcc " + worker), this.clock.instant())).getId();
	}

	private MockMvcTester.MockMvcRequestBuilder api(String who, long id, String decision) {
		return this.mvc.post().uri("/api/pruning/proposals/" + id + "/" + decision).with(httpBasic(who, PASSWORD));
	}

	private Proposal stored(long id) {
		return this.proposals.findById(id).orElseThrow();
	}

	@Test
	void onTheApiADecidedProposalAnswers409AndKeepsWhoDecided() {
		long id = proposed("dave-macos");
		assertThat(api("jane", id, "approve").exchange()).hasStatusOk().bodyJson().extractingPath("$.decidedBy")
			.isEqualTo("jane");

		for (String decision : List.of("approve", "reject", "snooze?until=2099-01-01")) {
			assertThat(api("joe", id, decision).exchange()).as(decision)
				.hasStatus(HttpStatus.CONFLICT)
				.bodyJson()
				.extractingPath("$.detail")
				.asString()
				.contains("is approved and can no longer be decided");
		}
		assertThat(stored(id).getStatus()).isEqualTo(ProposalStatus.APPROVED);
		assertThat(stored(id).getDecidedBy()).isEqualTo("jane");

		// A snoozed proposal is still open: it can be decided, and then it is closed too.
		long snoozed = proposed("erin-arm64");
		// A year at most, as an owner's "back by": further is a typo (a new user's +99999-12-31 was stored, shown
		// and mailed; a year past 999999999 answered 500).
		for (String far : List.of("2099-01-01", "+99999-12-31", "+999999999-12-31")) {
			assertThat(api("jane", snoozed, "snooze").param("until", far).exchange()).as(far)
				.hasStatus(HttpStatus.BAD_REQUEST)
				.bodyJson()
				.extractingPath("$.detail")
				.asString()
				.startsWith("Snooze until a date within a year (");
		}
		assertThat(stored(snoozed).getStatus()).isEqualTo(ProposalStatus.PROPOSED);
		// No such proposal is a 404 whatever the date (it was a 400 about the date).
		assertThat(api("jane", 999_999, "snooze").param("until", "2020-01-01").exchange())
			.hasStatus(HttpStatus.NOT_FOUND);
		String inAMonth = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC).plusMonths(1).toString();
		assertThat(api("jane", snoozed, "snooze?until=" + inAMonth).exchange()).hasStatusOk();
		assertThat(api("joe", snoozed, "reject").exchange()).hasStatusOk();
		assertThat(api("jane", snoozed, "approve").exchange()).hasStatus(HttpStatus.CONFLICT);
		assertThat(stored(snoozed).getStatus()).isEqualTo(ProposalStatus.REJECTED);
		assertThat(stored(snoozed).getDecidedBy()).isEqualTo("joe");
	}

	@Test
	void onThePageASnoozeDateLeftOutOrNotADateIsExplainedOnTheQueue() {
		long id = proposed("ida-s390x");
		for (String until : new String[] { "", "garbage", "2026-02-30" }) {
			var result = this.mvc.post().uri("/pruning/" + id + "/snooze").param("until", until)
				.with(user("jane").roles("MAINTAINER")).with(csrf())
				.exchange();
			assertThat(result).as(until).hasStatus(HttpStatus.FOUND).hasRedirectedUrl("/pruning");
			assertThat(result.getMvcResult().getFlashMap().get("error")).as(until).asString()
				.startsWith("Proposal #" + id + " was not snoozed: ")
				.contains(until.isEmpty() ? "give the date to snooze it until, as YYYY-MM-DD."
						: until.equals("garbage") ? "'garbage' is not a date; give it as YYYY-MM-DD."
								: "there is no day 2026-02-30: give a date that exists, as YYYY-MM-DD.");
		}
		// A date out of range says so the same way.
		var far = this.mvc.post().uri("/pruning/" + id + "/snooze").param("until", "2099-01-01")
			.with(user("jane").roles("MAINTAINER")).with(csrf())
			.exchange();
		assertThat(far.getMvcResult().getFlashMap().get("error")).asString()
			.startsWith("Proposal #" + id + " was not snoozed: Snooze until a date within a year");
		assertThat(stored(id).getStatus()).isEqualTo(ProposalStatus.PROPOSED);
		// The queue the refusal redirects to gives the typed date back to that proposal's field, not the default.
		long other = proposed("jim-riscv");
		// (The flash lives in the session, stored in the database: the redirect's GET carries its cookie.)
		assertThat(far.getResponse().getCookie("SESSION")).isNotNull();
		assertThat(this.mvc.get().uri("/pruning").cookie(far.getResponse().getCookie("SESSION"))
			.with(user("jane").roles("MAINTAINER"))
			.exchange()).bodyText().containsPattern("value=\"2099-01-01\"\\s+min=\"[0-9-]+\" max=\"[0-9-]+\" required\\s+id=\"until-"
				+ id + "\"")
			.doesNotContainPattern("value=\"2099-01-01\"\\s+min=\"[0-9-]+\" max=\"[0-9-]+\" required\\s+id=\"until-"
					+ other + "\"");
		// No such proposal is still a 404 page, whatever the date.
		assertThat(this.mvc.post().uri("/pruning/999999/snooze").param("until", "garbage")
			.with(user("jane").roles("MAINTAINER")).with(csrf())
			.exchange()).hasStatus(HttpStatus.NOT_FOUND);
	}

	@Test
	void onThePageADecidedProposalIsA409PageThatSaysWhy() {
		long id = proposed("fred-ppc");
		assertThat(this.mvc.post().uri("/pruning/" + id + "/reject").with(user("jane").roles("MAINTAINER")).with(csrf())
			.exchange()).hasStatus(HttpStatus.FOUND).hasRedirectedUrl("/pruning");

		var again = this.mvc.post().uri("/pruning/" + id + "/approve").with(user("joe").roles("MAINTAINER")).with(csrf())
			.exchange();
		assertThat(again).hasStatus(HttpStatus.CONFLICT);
		assertThat(again).bodyText().contains("409", "is rejected and can no longer be decided", "href=\"/pruning\"");
		assertThat(stored(id).getStatus()).isEqualTo(ProposalStatus.REJECTED);
		assertThat(stored(id).getDecidedBy()).isEqualTo("jane");
	}

	@Test
	void onTheApiAnApprovedProposalIsWithdrawnInTheMaintainersNameAndAWaitingOneIsNot() {
		long id = proposed("hank-riscv");
		assertThat(api("joe", id, "withdraw").exchange()).as("a waiting one is rejected, not withdrawn")
			.hasStatus(HttpStatus.CONFLICT)
			.bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("Proposal " + id + " is proposed: only an approved one is withdrawn; reject it instead");
		assertThat(api("jane", id, "approve").exchange()).hasStatusOk();

		assertThat(api("joe", id, "withdraw").exchange()).hasStatusOk()
			.bodyJson()
			.satisfies((json) -> assertThat(json).extractingPath("$.status").isEqualTo("withdrawn"))
			.satisfies((json) -> assertThat(json).extractingPath("$.decidedBy").isEqualTo("joe"))
			.satisfies((json) -> assertThat(json).extractingPath("$.alsoDecided").asArray().isEmpty());
		assertThat(stored(id).getStatus()).isEqualTo(ProposalStatus.WITHDRAWN);
		assertThat(api("jane", id, "withdraw").exchange()).hasStatus(HttpStatus.CONFLICT);
	}

	@Test
	void aProposalOpenedWhileItsOwnerSaidBackByWaitsInTheOwnersName() {
		Instant now = this.clock.instant();
		LocalDate backBy = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(5);
		this.replies.save(new OwnerReply("lab", "gina-s390x", "gina@example.org", ReplyAction.BACK_BY, backBy, null, now));
		WorkerReport offline = new WorkerReport("lab", "gina-s390x", WorkerState.OFFLINE, now.minus(Duration.ofDays(8)),
				new WorkerReport.OwnerView("Gina", "gina@example.org"), null, false, false, null, null, Set.of(),
				List.of("not connected since ..."), new WorkerReport.Counts(0, 0, 0, 0, 0, 0), now, null, null, null);

		this.pruning.evaluate("lab", List.of(offline));

		// Named as the reply names whoever it makes decide, not in a form of its own (a trial read both).
		assertThat(this.proposals.findByMasterAndWorkerOrderByIdDesc("lab", "gina-s390x")).singleElement()
			.satisfies((p) -> {
				assertThat(p.getStatus()).isEqualTo(ProposalStatus.SNOOZED);
				assertThat(p.getSnoozedUntil()).isEqualTo(PruningService.endOfDay(backBy));
				assertThat(p.getDecidedBy()).isEqualTo("gina@example.org (owner reply)");
			});
	}

}
