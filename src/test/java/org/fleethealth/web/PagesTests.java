package org.fleethealth.web;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.fleethealth.fleet.FleetBuilder;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.MasterStatus;
import org.fleethealth.gate.ReleaseGates;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.pruning.ProposalKind;
import org.fleethealth.pruning.ProposalStatus;
import org.fleethealth.pruning.ProposalView;
import org.fleethealth.pruning.PruningService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

/** The pages in a web slice: they render, filter and sort, and answer bad requests with friendly pages. */
@WebSliceTest
class PagesTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private FleetQueries fleet;

	@Autowired
	private WorkerReports reports;

	@Autowired
	private ReleaseGates gates;

	@Autowired
	private PruningService pruning;

	@BeforeEach
	void fleet() {
		given(this.fleet.masterNames()).willReturn(List.of("lab"));
		given(this.fleet.master("lab")).willReturn(Optional.empty());
		given(this.reports.workers("lab")).willReturn(PageFixtures.lab());
		given(this.reports.worker("lab", "bob-freebsd")).willReturn(Optional.of(PageFixtures.detail()));
		given(this.gates.masters()).willReturn(List.of("lab"));
		given(this.gates.gate("lab")).willReturn(Optional.of(PageFixtures.gate()));
		given(this.gates.proposal("lab")).willReturn(Optional.of(PageFixtures.proposal()));
	}

	private String page(String uri) {
		var result = this.mvc.get().uri(uri).exchange();
		assertThat(result).as(uri).hasStatusOk();
		try {
			return result.getResponse().getContentAsString(StandardCharsets.UTF_8);
		}
		catch (UnsupportedEncodingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void overviewListsTheWorkersThatNeedAttentionMostTroubledFirst() {
		String html = page("/");
		assertThat(html).contains("Fleet overview", "not polled yet", "bob-freebsd", "carol-arm64", "dave-macos")
			.doesNotContain(">alice-debian<")
			.contains("6 of 6 builds in the last 7d were host failures")
			.contains("title=\"2026-11-24T08:00:00Z\">3d 4h ago</time>")
			.contains("href=\"/workers/lab/bob-freebsd\"")
			.contains("mailto:bob@example.org")
			.contains("3 of 4 workers shown");
		assertThat(html.indexOf("dave-macos")).as("offline before flaky-host").isLessThan(html.indexOf("bob-freebsd"));
		assertThat(html.indexOf("bob-freebsd")).isLessThan(html.indexOf("carol-arm64"));
	}

	@Test
	void overviewFiltersByStateMasterAndClass() {
		assertThat(page("/?state=healthy")).contains(">alice-debian<").doesNotContain(">bob-freebsd<");
		assertThat(page("/?state=all&class=arm64")).contains(">carol-arm64<")
			.doesNotContain(">alice-debian<")
			.doesNotContain(">bob-freebsd<");
		assertThat(page("/?state=all&master=lab")).contains(">alice-debian<", ">dave-macos<");
		// As on the API: a class in any case (a trial's /?class=GCC showed none).
		assertThat(page("/?state=all&class=ARM64")).contains(">carol-arm64<")
			.doesNotContain(">alice-debian<")
			.containsPattern("<option value=\"arm64\"\\s+selected")
			.contains("1 of 4 workers shown");
		assertThat(page("/?state=flaky-host&class=lto")).contains("No worker matches these filters.");
		// A class no worker has is shown as chosen, not as "all classes" beside an empty list (a trial).
		assertThat(page("/?state=all&class=nope")).contains("No worker matches these filters.")
			.contains("<option value=\"nope\" selected>nope (no worker has it)</option>");
		assertThat(page("/?state=all&class=LTO")).doesNotContain("(no worker has it)");
		assertThat(page("/?state=&master=&class=")).as("an empty form field means no filter").contains(">bob-freebsd<");
	}

	@Test
	void overviewSortsByAColumnAndLinksTheReverse() {
		String html = page("/?sort=worker");
		assertThat(html.indexOf(">bob-freebsd<")).isLessThan(html.indexOf(">carol-arm64<"));
		assertThat(html.indexOf(">carol-arm64<")).isLessThan(html.indexOf(">dave-macos<"));
		assertThat(html).contains("href=\"/?sort=-worker\"");
		String reversed = page("/?sort=-worker");
		assertThat(reversed.indexOf(">dave-macos<")).isLessThan(reversed.indexOf(">bob-freebsd<"));
		String since = page("/?sort=since&state=all");
		assertThat(since.indexOf(">dave-macos<")).as("longest in its state first").isLessThan(since.indexOf(">alice-debian<"));
		assertThat(since).contains("href=\"/?state=all&amp;sort=-since\"");
	}

	@Test
	void badQueryParametersAre400PagesNot500() {
		for (String uri : List.of("/?state=broken", "/?sort=colour")) {
			var result = this.mvc.get().uri(uri).exchange();
			assertThat(result).as(uri).hasStatus(HttpStatus.BAD_REQUEST);
			assertThat(result).bodyText().contains("400", "Back to the fleet overview");
		}
		assertThat(this.mvc.get().uri("/?state=broken").exchange()).bodyText()
			.contains("Unknown state &#39;broken&#39;; expected one of healthy,", "unknown, paused, or all");
	}

	@Test
	void anUnknownMasterIsAFriendly404PageAsOnTheApi() {
		var result = this.mvc.get().uri("/?master=nowhere").exchange();
		assertThat(result).hasStatus(HttpStatus.NOT_FOUND);
		assertThat(result).bodyText().contains("404", "No master &#39;nowhere&#39;; watched: lab", "Back to the fleet overview");
	}

	@Test
	void workerPageShowsEvidenceBuildsAndHistory() {
		String html = page("/workers/lab/bob-freebsd");
		// The state back after the unknown spell keeps its since, and says so; the older row does not.
		assertThat(html).containsOnlyOnce("kept from before the\n            unknown spell");
		assertThat(html).contains("bob-freebsd", "flaky-host", "second line of evidence",
				"href=\"http://127.0.0.1:8010/#/builders/3/builds/6\"", "gcc bob-freebsd", ">git<", "connected",
				"Debian 12");
	}

	@Test
	void aWorkerNeverSeenConnectedSaysSoBesideItsLastSeen() {
		assertThat(page("/workers/lab/bob-freebsd")).doesNotContain("never seen connected");
		WorkerReport w = PageFixtures.detail();
		given(this.reports.worker("lab", "gone-first")).willReturn(Optional.of(new WorkerReport(w.master(), "gone-first",
				WorkerState.OFFLINE, w.since(), w.owner(), null, false, false, w.version(), w.host(), w.classes(),
				List.of("not connected since 2026-11-20 10:00 UTC (7d 2h)"), w.builds(), w.classifiedAt(),
				w.recentBuilds(), w.history(), w.transitions())));
		assertThat(page("/workers/lab/gone-first")).contains("Last seen", "never seen connected since\n")
			.contains("fleet-health began watching this master");
	}

	@Test
	void anUnknownWorkerIsAFriendly404Page() {
		var result = this.mvc.get().uri("/workers/lab/nobody").exchange();
		assertThat(result).hasStatus(HttpStatus.NOT_FOUND);
		assertThat(result).bodyText()
			.contains("404", "No worker &#39;nobody&#39; on master &#39;lab&#39;", "Back to the fleet overview");
	}

	@Test
	void classesShowCoverageAndHighlightClassesWithoutAHealthyWorker() {
		String html = page("/classes");
		assertThat(html).contains("2 build classes have no healthy worker:", "arm64, lto", "cov-uncovered", "cov-partial")
			.contains("<strong>1</strong>/<span>2</span> healthy");
		assertThat(html.indexOf(">arm64<")).as("uncovered classes first").isLessThan(html.indexOf(">clang<"));
		assertThat(html).as("every worker has a class").doesNotContain("Workers without a build class");

		// A worker whose builders carry no class tag is in no row: named below the table.
		List<WorkerReport> withPlain = new java.util.ArrayList<>(PageFixtures.lab());
		withPlain.add(PageFixtures.worker("erin-plain", WorkerState.FLAKY_HOST, java.time.Duration.ofHours(3),
				java.util.Set.of(), "5 of 9 builds in the last 7d were host failures"));
		given(this.reports.workers("lab")).willReturn(withPlain);
		assertThat(page("/classes")).contains("Workers without a build class", "<strong>1</strong>", "worker serves",
				"href=\"/workers/lab/erin-plain\"", "chip-flaky-host");
		// The API's twin of that list; /api/classes has no row for her either.
		var json = assertThat(this.mvc.get().uri("/api/classes/unclassed").exchange()).hasStatusOk().bodyJson();
		json.extractingPath("$[*].name").asArray().containsExactly("erin-plain");
		json.extractingPath("$[0].master").isEqualTo("lab");
		json.extractingPath("$[0].state").isEqualTo("flaky-host");
	}

	@Test
	void classesHaveTheirJsonTwin() {
		var json = assertThat(this.mvc.get().uri("/api/classes").exchange()).hasStatusOk().bodyJson();
		json.extractingPath("$[0].name").as("uncovered classes first").isEqualTo("arm64");
		json.extractingPath("$[0].uncovered").isEqualTo(true);
		json.extractingPath("$[0].masters.lab.coverage").isEqualTo("uncovered");
		json.extractingPath("$[?(@.name == 'clang')].masters.lab.coverage").asArray().containsExactly("partial");
		json.extractingPath("$[?(@.name == 'clang')].healthy").asArray().containsExactly(1);
		json.extractingPath("$[?(@.name == 'clang')].total").asArray().containsExactly(3);
		json.extractingPath("$[?(@.name == 'clang')].masters.lab.workers[*].name").asArray().hasSize(3);
		assertThat(this.mvc.get().uri("/api/classes/unclassed").exchange()).as("every worker has a class")
			.hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("[]");
	}

	@Test
	void releaseGateShowsTheVerdictBlockersAndProposal() {
		String html = page("/release-gate");
		assertThat(html).contains("NO-GO", "verdict-no-go", "last build #6 failed in step &#39;test&#39;",
				"gcc dave-macos", "Passing (1)", "clang alice-debian", "all 12 builds within 7d passed",
				"Log in to re-evaluate", "Builders green on healthy workers for <span>7d</span>")
			.doesNotContain("Re-evaluate now", "P7D", "PT168H");
		// One card per branch, newest first, each with its verdict, causes and a link of its own.
		assertThat(html).contains("id=\"branch-lab-3.x\"", "id=\"branch-lab-3.14\"", "cause-code", "cause-host",
				"cause-no-worker", "Passed on a peer:", "What to do: fix the host bob-freebsd",
				"href=\"/release-gate?master=lab&amp;branch=3.14\"", "/api/release-gate/check?master=lab&amp;branch=3.x");
		assertThat(html.indexOf("id=\"branch-lab-3.x\"")).isLessThan(html.indexOf("id=\"branch-lab-3.14\""));
		assertThat(html).contains("5</strong> stable builders on", "2</span> branches")
			.doesNotContain("counts on each");
		// A builder that built two branches is one stable builder and an entry on each branch: the sums say so.
		org.fleethealth.gate.GateReport g = PageFixtures.gate();
		given(this.gates.gate("lab")).willReturn(Optional.of(new org.fleethealth.gate.GateReport(g.master(),
				g.verdict(), g.evaluatedAt(), g.stableTag(), 3, g.blockers(), g.concerns(), g.passing(), g.notes(),
				g.branch(), g.branches())));
		assertThat(page("/release-gate")).contains("(a builder that\n            built several branches counts on each)");
		given(this.gates.gate("lab")).willReturn(Optional.of(g));
		// The branches' verdicts first, each a jump to its card.
		assertThat(html).contains("class=\"data branch-summary\"", "href=\"#branch-lab-3.x\"", "href=\"#branch-lab-3.14\"");
		assertThat(html.indexOf("href=\"#branch-lab-3.14\"")).isLessThan(html.indexOf("id=\"branch-lab-3.x\""));
		given(this.gates.gate("lab", "3.14")).willReturn(Optional.of(PageFixtures.gate().onBranch("3.14")));
		assertThat(page("/release-gate?branch=3.14")).as("one branch: no summary").doesNotContain("branch-summary");
		// A configured name the master lacks is on no branch: listed once, below the cards.
		assertThat(html).contains("Not on any branch", "gcc old-box", "cause-unknown-builder");
		assertThat(html.indexOf("gcc old-box")).isGreaterThan(html.indexOf("id=\"branch-lab-3.14\""));
		assertThat(this.mvc.get().uri("/release-gate?master=nowhere").exchange()).hasStatus(HttpStatus.NOT_FOUND);
	}

	@Test
	void theReleaseGateOfASilentMasterSaysItIsAsOfItsLastAnswer() {
		assertThat(page("/release-gate")).doesNotContain("alert alert-bad silent");
		given(this.fleet.master("lab")).willReturn(Optional.of(new MasterStatus("lab", "http://127.0.0.1:8010/", false,
				PageFixtures.NOW, PageFixtures.NOW.minusSeconds(600), null, null, "Connection refused", "unreachable",
				PageFixtures.NOW, 9, PageFixtures.NOW.plusSeconds(60), 100L)));
		assertThat(page("/release-gate")).contains("alert alert-bad silent", "its last answer was",
				"what fleet-health knew then");
	}

	@Test
	void aReleaseManagerLinksToOneBranch() {
		given(this.gates.gate("lab", "3.14")).willReturn(Optional.of(PageFixtures.gate().onBranch("3.14")));
		String html = page("/release-gate?branch=3.14");
		assertThat(html).contains("id=\"branch-lab-3.14\"", "x86-64 gcc 3.14", "cause-host", "All branches")
			.contains(", branch <span>3.14</span>")
			.doesNotContain("id=\"branch-lab-3.x\"", "gcc dave-macos", "gcc alice-debian");
	}

	@Test
	void aWorkerLinkCutAfterTheMasterShowsThatMastersOverview() {
		assertThat(this.mvc.get().uri("/workers/lab").exchange()).hasStatus(HttpStatus.FOUND)
			.hasRedirectedUrl("/?master=lab");
		assertThat(this.mvc.get().uri("/workers/nosuch").exchange()).hasStatus(HttpStatus.NOT_FOUND);
		var missing = this.mvc.get().uri("/workers/nosuch/alice-debian").exchange();
		assertThat(missing).hasStatus(HttpStatus.NOT_FOUND);
		assertThat(missing).bodyText().contains("No master &#39;nosuch&#39;; watched: lab");
	}

	@Test
	void thePruningQueueExplainsTheThresholdsAsConfigured() {
		assertThat(page("/pruning")).contains("offline for <span>7d</span>", "offline for <span>30d</span>",
				"<span>28d</span>, to be removed");
	}

	@Test
	void aHideProposalSaysWhichOfItsBuildersAreStable() {
		Instant at = PageFixtures.NOW;
		given(this.pruning.proposals(Optional.empty())).willReturn(List.of(new ProposalView(4, "lab", "dave-macos",
				ProposalKind.HIDE_BUILDERS, ProposalStatus.PROPOSED, "offline for 8d", List.of("macos clang",
						"macos gcc"), "Dave", "dave@example.org", at, at, null, null, null)));
		FleetBuilder stable = new FleetBuilder("lab", 5, "macos clang", List.of("stable"), null, true, null, null);
		FleetBuilder other = new FleetBuilder("lab", 6, "macos gcc", List.of(), null, true, null, null);
		given(this.fleet.builders("lab")).willReturn(List.of(stable, other));
		given(this.gates.isStable(stable)).willReturn(true);
		assertThat(page("/pruning")).contains("In the stable set\n            (<span>1</span> of <span>2</span>):",
				"<span>macos clang</span>: the release gate counts");
	}

	@Test
	void recentlyClosedProposalsSayWhoClosedThem() {
		Instant at = PageFixtures.NOW;
		given(this.pruning.proposals(Optional.empty())).willReturn(List.of(
				new ProposalView(4, "lab", "dave-macos", ProposalKind.HIDE_BUILDERS, ProposalStatus.WITHDRAWN,
						"offline for 8d", List.of(), "Dave", "dave@example.org", at, at, at, "fleet-health (auto)", null),
				new ProposalView(5, "lab", "erin-ppc64le", ProposalKind.REMOVE_WORKER, ProposalStatus.REJECTED,
						"offline for 30d", List.of(), "Erin", "erin@example.org", at, at, at, "jane", null)));
		assertThat(page("/pruning")).contains("Recently closed", "<td>fleet-health: the worker recovered or left, or its approved removal replaced it</td>",
				"<td>jane</td>");
	}

	@Test
	void aBranchWithoutStableBuildersSaysSoOnce() {
		given(this.gates.gate("lab", "3.16")).willReturn(Optional.of(PageFixtures.gate().onBranch("3.16")));
		String html = page("/release-gate?branch=3.16");
		String note = "no stable builder of master &#39;lab&#39; is on branch &#39;3.16&#39;";
		assertThat(html).contains(note);
		assertThat(html.indexOf(note)).isEqualTo(html.lastIndexOf(note));
	}

	@Test
	void loginPageRenders() {
		assertThat(page("/login")).contains("Maintainer login", "name=\"_csrf\"");
		assertThat(page("/login?error")).contains("do not match");
	}

}
