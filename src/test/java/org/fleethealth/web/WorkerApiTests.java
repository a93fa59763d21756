package org.fleethealth.web;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.pruning.ProposalKind;
import org.fleethealth.pruning.ProposalStatus;
import org.fleethealth.pruning.ProposalView;
import org.fleethealth.pruning.PruningService;
import org.fleethealth.pruning.ReplyAction;
import org.fleethealth.pruning.ReplyService;
import org.fleethealth.pruning.ReplyView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.transaction.CannotCreateTransactionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

/**
 * The API's query parameters: states and statuses by their labels (converted once for every controller), an
 * unknown one a 400 problem with the reason, an unknown master a 404 problem, as the README says.
 */
@WebSliceTest
class WorkerApiTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private FleetQueries fleet;

	@Autowired
	private WorkerReports reports;

	@Autowired
	private PruningService pruning;

	@Autowired
	private ReplyService replies;

	@BeforeEach
	void fleet() {
		given(this.fleet.masterNames()).willReturn(List.of("lab", "python"));
		given(this.reports.workers("lab")).willReturn(PageFixtures.lab());
		given(this.reports.all()).willReturn(PageFixtures.lab());
	}

	@Test
	void workersAreFilteredByMasterAndState() {
		assertThat(this.mvc.get().uri("/api/workers?master=lab&state=flaky-host").exchange()).hasStatusOk()
			.bodyJson()
			.extractingPath("$[*].name")
			.asArray()
			.containsExactly("bob-freebsd");
		assertThat(this.mvc.get().uri("/api/workers?state=").exchange()).as("an empty parameter filters nothing")
			.hasStatusOk()
			.bodyJson()
			.extractingPath("$.length()")
			.isEqualTo(4);
	}

	@Test
	void workersAreFilteredByBuildClass() {
		assertThat(this.mvc.get().uri("/api/workers?class=ARM64").exchange()).hasStatusOk()
			.bodyJson()
			.extractingPath("$[*].name")
			.asArray()
			.containsExactly("carol-arm64");
		assertThat(this.mvc.get().uri("/api/workers/lab?class=clang&state=healthy").exchange()).hasStatusOk()
			.bodyJson()
			.extractingPath("$[*].name")
			.asArray()
			.containsExactly("alice-debian");
		assertThat(this.mvc.get().uri("/api/workers?class=refleak").exchange()).hasStatusOk()
			.bodyJson()
			.extractingPath("$.length()")
			.isEqualTo(0);
	}

	@Test
	void anUnknownMasterIsA404Problem() {
		var result = this.mvc.get().uri("/api/workers?master=nosuch").exchange();
		assertThat(result).hasStatus(HttpStatus.NOT_FOUND).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo("No master 'nosuch'; watched: lab, python");
	}

	@Test
	void aWorkerOfAnUnknownMasterIsReportedAsTheMasterMissing() {
		var result = this.mvc.get().uri("/api/workers/nosuch/alice-debian").exchange();
		assertThat(result).hasStatus(HttpStatus.NOT_FOUND);
		assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo("No master 'nosuch'; watched: lab, python");
	}

	@Test
	void theWorkersOfOneMasterHaveTheirOwnPath() {
		assertThat(this.mvc.get().uri("/api/workers/lab?state=flaky-host").exchange()).hasStatusOk()
			.bodyJson()
			.extractingPath("$[*].name")
			.asArray()
			.containsExactly("bob-freebsd");
		assertThat(this.mvc.get().uri("/api/workers/nosuch").exchange()).hasStatus(HttpStatus.NOT_FOUND);
	}

	@Test
	void aDatabaseThatCannotBeReachedIsA503ProblemForScriptsAndAPageForBrowsers() {
		given(this.reports.workers("python")).willThrow(
				new CannotCreateTransactionException("Could not open JPA EntityManager for transaction"));
		var api = this.mvc.get().uri("/api/workers?master=python").exchange();
		assertThat(api).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.hasHeader(HttpHeaders.RETRY_AFTER, "30");
		assertThat(api).bodyJson().extractingPath("$.detail").asString().startsWith("The database cannot be reached");
		var page = this.mvc.get().uri("/?master=python").accept(MediaType.TEXT_HTML).exchange();
		assertThat(page).hasStatus(HttpStatus.SERVICE_UNAVAILABLE).hasContentTypeCompatibleWith(MediaType.TEXT_HTML);
		assertThat(page).bodyText().contains("The database cannot be reached");
	}

	@Test
	void aPathNothingAnswersIsA404ProblemForScriptsAndAPageForBrowsers() {
		var api = this.mvc.get().uri("/api/nothing/here").exchange();
		assertThat(api).hasStatus(HttpStatus.NOT_FOUND).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(api).bodyJson().extractingPath("$.detail").asString().startsWith("Nothing at /api/nothing/here;");
		var page = this.mvc.get().uri("/nothing/here").accept(MediaType.TEXT_HTML).exchange();
		assertThat(page).hasStatus(HttpStatus.NOT_FOUND).hasContentTypeCompatibleWith(MediaType.TEXT_HTML);
		assertThat(page).bodyText().contains("There is no page at /nothing/here.");
	}

	@Test
	void theTextExportSaysWhoApprovedAndWhenNoBuildersAreKnown() {
		Instant at = Instant.parse("2026-11-27T12:00:00Z");
		given(this.pruning.approved()).willReturn(List.of(new ProposalView(3, "lab", "bob-freebsd",
				ProposalKind.REMOVE_WORKER, ProposalStatus.APPROVED, "the owner asked to retire it", List.of(), "Bob",
				"bob@example.org", at, at, at, "bob@example.org (owner reply)", null)));
		assertThat(this.mvc.get().uri("/api/pruning/export?format=text").exchange()).hasStatusOk()
			.bodyText()
			.contains("# Approved in fleet-health (by a maintainer, or by the owner's reply: each says who)",
					"[lab] remove worker bob-freebsd and its builders",
					"    builders: none known to fleet-health (see the master's configuration)",
					"    approved by bob@example.org (owner reply) on 2026-11-27T12:00:00Z");
		assertThat(this.mvc.get().uri("/api/pruning/export?format=json").exchange()).hasStatusOk()
			.bodyJson()
			.extractingPath("$[0].worker")
			.isEqualTo("bob-freebsd");
		// Any other format is a mistake, not a request for JSON.
		assertThat(this.mvc.get().uri("/api/pruning/export?format=csv").exchange())
			.hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("format must be 'json' or 'text' (or leave it out and ask by Accept), not 'csv'");
	}

	/**
	 * The export as the one who edits the configuration needs it: a worker's hiding is left out where its removal is
	 * approved (a trial's export listed one worker four times), and a worker that came back after the approval is
	 * flagged (the trial's bob was healthy again and still listed for removal).
	 */
	@Test
	void theExportLeavesOutHidingThatARemovalTakesAndFlagsAWorkerBackSinceTheApproval() {
		Instant at = Instant.parse("2026-11-27T12:00:00Z");
		ProposalView removal = approved(5, "carol-arm64", ProposalKind.REMOVE_WORKER, at);
		given(this.pruning.approved()).willReturn(List.of(approved(4, "carol-arm64", ProposalKind.HIDE_BUILDERS, at),
				removal, approved(6, "dave-macos", ProposalKind.HIDE_BUILDERS, at)));
		given(this.reports.worker("lab", "carol-arm64")).willReturn(Optional.of(new WorkerReport("lab", "carol-arm64",
				WorkerState.HEALTHY, at.plusSeconds(86_400), new WorkerReport.OwnerView("Carol", "carol@example.org"),
				null, true, false, null, null, Set.of(), List.of(), new WorkerReport.Counts(0, 0, 0, 0, 0, 0), at, null,
				null, null)));
		given(this.replies.latestReply("lab", "carol-arm64")).willReturn(Optional.of(new ReplyView("lab", "carol-arm64",
				"carol@example.org", ReplyAction.BACK_BY, LocalDate.parse("2026-12-01"), "new disk", at.plusSeconds(60))));

		assertThat(this.mvc.get().uri("/api/pruning/export?format=text").exchange()).hasStatusOk()
			.bodyText()
			.contains("[lab] remove worker carol-arm64 and its builders",
					"    caution: the worker is healthy again since 2026-11-28T12:00:00Z, after this was approved: check"
							+ " with its owner before taking it out, or withdraw the approval",
					"    worker now: healthy",
					"    owner replied since: back by 2026-12-01 (\"new disk\"), 2026-11-27T12:01:00Z",
					"[lab] hide the builders of dave-macos")
			.doesNotContain("hide the builders of carol-arm64");
		var json = this.mvc.get().uri("/api/pruning/export").exchange();
		assertThat(json).hasStatusOk().bodyJson().extractingPath("$.length()").isEqualTo(2);
		assertThat(json).bodyJson().extractingPath("$[0].id").isEqualTo(5);
		assertThat(json).bodyJson().extractingPath("$[0].status").isEqualTo("approved");
		assertThat(json).bodyJson().extractingPath("$[0].workerState").isEqualTo("healthy");
		assertThat(json).bodyJson().extractingPath("$[0].caution").asString().startsWith("the worker is healthy again");
		assertThat(json).bodyJson().extractingPath("$[1].worker").isEqualTo("dave-macos");
		assertThat(json).bodyJson().extractingPath("$[1].caution").isNull();
		assertThat(json).bodyJson().extractingPath("$[0].ownerReply").asString().startsWith("back by 2026-12-01");
		assertThat(json).bodyJson().extractingPath("$[1].ownerReply").isNull();
		assertThat(json).bodyText().doesNotContain("snoozedThrough");
	}

	private static ProposalView approved(long id, String worker, ProposalKind kind, Instant at) {
		return new ProposalView(id, "lab", worker, kind, ProposalStatus.APPROVED, "offline for 31d",
				List.of("gcc " + worker), null, null, at, at, at, "jane", null);
	}

	@Test
	void aParameterGivenTwiceIsA400RatherThanItsFirstValueAlone() {
		var twice = this.mvc.get().uri("/api/workers?state=flaky-host&state=offline").exchange();
		assertThat(twice).hasStatus(HttpStatus.BAD_REQUEST).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(twice).bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("'state' is given 2 times; it takes one value: ask once per value");
		assertThat(this.mvc.get().uri("/api/workers?class=gcc&class=clang").exchange()).as("a name of its own")
			.hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.detail")
			.asString()
			.startsWith("'class' is given 2 times");
		assertThat(this.mvc.get().uri("/?state=offline&state=healthy").exchange()).as("a page too")
			.hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(this.mvc.get().uri("/api/workers?state=offline").exchange()).hasStatusOk();
	}

	@Test
	void anUnknownStateOrStatusIsA400ProblemThatSaysWhatWouldDo() {
		var state = this.mvc.get().uri("/api/workers?state=sideways").exchange();
		assertThat(state).hasStatus(HttpStatus.BAD_REQUEST).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(state).bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("Unknown state 'sideways'; expected one of healthy, offline, flaky-host, failing-build, unknown, paused");
		var status = this.mvc.get().uri("/api/pruning/proposals?status=maybe").exchange();
		assertThat(status).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(status).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.startsWith("Unknown status 'maybe'; expected one of proposed,");
		var id = this.mvc.get().uri("/api/pruning/proposals/seven").exchange();
		assertThat(id).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(id).bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("'seven' is not a valid value for 'id'; expected a whole number");
		var until = this.mvc.post()
			.uri("/api/pruning/proposals/1/snooze?until=next-week")
			.with(user("maintainer").roles("MAINTAINER"))
			.with(csrf())
			.exchange();
		assertThat(until).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(until).bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("'next-week' is not a valid value for 'until'; expected a date as 2026-12-31");
		var quarantined = this.mvc.get()
			.uri("/api/quarantine/proposals?status=held")
			.with(user("maintainer").roles("MAINTAINER"))
			.exchange();
		assertThat(quarantined).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(quarantined).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.startsWith("Unknown quarantine status 'held'; expected one of proposed, ");
	}

	@Test
	void proposalsAreFilteredByStatus() {
		given(this.pruning.proposals(Optional.of(ProposalStatus.APPROVED))).willReturn(List.of());
		assertThat(this.mvc.get().uri("/api/pruning/proposals?status=approved").exchange()).hasStatusOk();
		then(this.pruning).should().proposals(Optional.of(ProposalStatus.APPROVED));
	}

}
