package org.fleethealth.web;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.MasterStatus;
import org.fleethealth.gate.ReleaseGates;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

/** The release gate's JSON: its shape, and which master it is about. */
@WebSliceTest
class ReleaseGateApiTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private ReleaseGates gates;

	@Autowired
	private FleetQueries fleet;

	@Test
	void theGateNamesItsBlockersWithTheirLastBuildsAndWorkers() {
		given(this.gates.masters()).willReturn(List.of("lab"));
		given(this.gates.gate("lab")).willReturn(Optional.of(PageFixtures.gate()));
		var json = assertThat(this.mvc.get().uri("/api/release-gate").exchange()).hasStatusOk().bodyJson();
		json.extractingPath("$.master").isEqualTo("lab");
		json.extractingPath("$.verdict").isEqualTo("no-go");
		json.extractingPath("$.stableBuilders").isEqualTo(5);
		json.extractingPath("$.evaluatedAt").isEqualTo("2026-11-27T12:00:00Z");
		json.extractingPath("$.blockers[0].builder").isEqualTo("gcc carol-arm64");
		json.extractingPath("$.blockers[0].worker").isEqualTo("carol-arm64");
		json.extractingPath("$.blockers[0].workerState").isEqualTo("failing-build");
		json.extractingPath("$.blockers[0].lastBuild.number").isEqualTo(6);
		json.extractingPath("$.blockers[0].lastBuild.results").isEqualTo(2);
		json.extractingPath("$.blockers[0].lastBuild.result").isEqualTo("failure");
		json.extractingPath("$.blockers[0].lastBuild.url").isEqualTo("http://127.0.0.1:8010/#/builders/5/builds/6");
		json.extractingPath("$.blockers[0].lastBuild.completeAt").isEqualTo("2026-11-27T11:00:00Z");
		json.extractingPath("$.blockers[0].lastBuild.revision").isEqualTo("0123456789abcdef");
		json.extractingPath("$.concerns[0].reason").asString().contains("dave-macos is offline");
		json.extractingPath("$.passing[0].builder").isEqualTo("gcc alice-debian");
		// Every blocker and concern says what is to be fixed; one verdict per branch, newest first.
		json.extractingPath("$.blockers[0].cause").isEqualTo("code");
		json.extractingPath("$.blockers[0].branch").isEqualTo("3.x");
		json.extractingPath("$.blockers[0].tier").isEqualTo("tier-1");
		json.extractingPath("$.blockers[0].outcome").isEqualTo("failure");
		json.extractingPath("$.concerns[0].cause").isEqualTo("no-worker");
		json.extractingPath("$.concerns[1].cause").isEqualTo("host");
		json.extractingPath("$.concerns[1].outcome").isEqualTo("host_failure");
		json.extractingPath("$.concerns[1].peerBuild.worker").isEqualTo("grace-debian");
		json.extractingPath("$.concerns[1].peerBuild.number").isEqualTo(8);
		json.extractingPath("$.concerns[1].action").asString().startsWith("fix the host bob-freebsd (flaky-host)");
		json.extractingPath("$.concerns[2].cause").isEqualTo("unknown-builder");
		json.extractingPath("$.concerns[2].branch").isNull();
		json.extractingPath("$.passing[0].cause").isNull();
		json.extractingPath("$.branch").isNull();
		json.extractingPath("$.branches[0].branch").isEqualTo("3.x");
		json.extractingPath("$.branches[0].verdict").isEqualTo("no-go");
		json.extractingPath("$.branches[0].blockers[0].builder").isEqualTo("gcc carol-arm64");
		json.extractingPath("$.branches[1].branch").isEqualTo("3.14");
		json.extractingPath("$.branches[1].verdict").isEqualTo("go");
		json.extractingPath("$.branches[1].stableBuilders").isEqualTo(1);
	}

	@Test
	void oneBranchIsJudgedAlone() {
		given(this.gates.masters()).willReturn(List.of("lab"));
		given(this.gates.gate("lab", "3.14")).willReturn(Optional.of(PageFixtures.gate().onBranch("3.14")));
		var json = assertThat(this.mvc.get().uri("/api/release-gate?master=lab&branch=3.14").exchange()).hasStatusOk()
			.bodyJson();
		json.extractingPath("$.branch").isEqualTo("3.14");
		json.extractingPath("$.verdict").isEqualTo("go");
		json.extractingPath("$.stableBuilders").isEqualTo(1);
		json.extractingPath("$.blockers").asArray().isEmpty();
		json.extractingPath("$.concerns[0].builder").isEqualTo("x86-64 gcc 3.14");
	}

	@Test
	void theCheckAnswers200ForGoAnd409ForNoGoWithTheSameBody() {
		given(this.gates.masters()).willReturn(List.of("lab"));
		given(this.gates.gate("lab", "3.14")).willReturn(Optional.of(PageFixtures.gate().onBranch("3.14")));
		given(this.gates.gate("lab", "3.x")).willReturn(Optional.of(PageFixtures.gate().onBranch("3.x")));
		given(this.gates.gate("lab")).willReturn(Optional.of(PageFixtures.gate()));
		assertThat(this.mvc.get().uri("/api/release-gate/check?master=lab&branch=3.14").exchange()).hasStatusOk()
			.bodyJson()
			.extractingPath("$.verdict")
			.isEqualTo("go");
		var noGo = assertThat(this.mvc.get().uri("/api/release-gate/check?branch=3.x").exchange())
			.hasStatus(HttpStatus.CONFLICT)
			.bodyJson();
		noGo.extractingPath("$.verdict").isEqualTo("no-go");
		noGo.extractingPath("$.branch").isEqualTo("3.x");
		noGo.extractingPath("$.blockers[0].cause").isEqualTo("code");
		assertThat(this.mvc.get().uri("/api/release-gate/check").exchange()).hasStatus(HttpStatus.CONFLICT)
			.bodyJson()
			.extractingPath("$.branches[1].verdict")
			.isEqualTo("go");
		assertThat(this.mvc.get().uri("/api/release-gate/check?master=nowhere").exchange())
			.hasStatus(HttpStatus.NOT_FOUND);
	}

	@Test
	void aGateOfAMasterThatDoesNotAnswerSaysItIsAsOfTheLastAnswer() {
		given(this.gates.masters()).willReturn(List.of("lab"));
		given(this.gates.gate("lab", "3.14")).willReturn(Optional.of(PageFixtures.gate().onBranch("3.14")));
		Instant lastAnswer = PageFixtures.NOW.minusSeconds(3600);
		given(this.fleet.master("lab")).willReturn(Optional.of(new MasterStatus("lab", "http://127.0.0.1:8010/", false,
				PageFixtures.NOW, lastAnswer, lastAnswer, lastAnswer, "connection refused", "workers", PageFixtures.NOW,
				12, PageFixtures.NOW.plusSeconds(60), 40L)));
		// The verdict stays the gate's (go here): a script that must not release on an old one reads the new fields.
		var json = assertThat(this.mvc.get().uri("/api/release-gate/check?branch=3.14").exchange()).hasStatusOk()
			.bodyJson();
		json.extractingPath("$.verdict").isEqualTo("go");
		json.extractingPath("$.masterAnswering").isEqualTo(false);
		json.extractingPath("$.lastAnswerAt").isEqualTo("2026-11-27T11:00:00Z");
		json.doesNotHavePath("$.gate");
	}

	@Test
	void aGateOfAMasterThatAnswersSaysSo() {
		given(this.gates.masters()).willReturn(List.of("lab"));
		given(this.gates.gate("lab")).willReturn(Optional.of(PageFixtures.gate()));
		given(this.fleet.master("lab")).willReturn(Optional.of(new MasterStatus("lab", "http://127.0.0.1:8010/", true,
				PageFixtures.NOW, PageFixtures.NOW, PageFixtures.NOW, PageFixtures.NOW, null, null, null, 0, null, 40L)));
		var json = assertThat(this.mvc.get().uri("/api/release-gate").exchange()).hasStatusOk().bodyJson();
		json.extractingPath("$.masterAnswering").isEqualTo(true);
		json.extractingPath("$.lastAnswerAt").isEqualTo("2026-11-27T12:00:00Z");
	}

	@Test
	void theProposalListsAdditionsAndRemovalsWithReasons() {
		given(this.gates.masters()).willReturn(List.of("lab"));
		given(this.gates.proposal("lab")).willReturn(Optional.of(PageFixtures.proposal()));
		var json = assertThat(this.mvc.get().uri("/api/stable-set/proposal?master=lab").exchange()).hasStatusOk()
			.bodyJson();
		json.extractingPath("$.stableAfter").isEqualTo("P7D");
		json.extractingPath("$.minBuilds").isEqualTo(10);
		json.extractingPath("$.add[0].builder").isEqualTo("clang alice-debian");
		json.extractingPath("$.remove[0].reasons[0]").isEqualTo("6 of 6 builds within 7d failed");
	}

	@Test
	void withSeveralMastersTheMasterMustBeNamedAndKnown() {
		given(this.gates.masters()).willReturn(List.of("lab", "python"));
		assertThat(this.mvc.get().uri("/api/release-gate").exchange()).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.detail")
			.asString()
			.contains("lab, python");
		assertThat(this.mvc.get().uri("/api/release-gate?master=nowhere").exchange()).hasStatus(HttpStatus.NOT_FOUND);
		given(this.gates.masters()).willReturn(List.of());
		assertThat(this.mvc.get().uri("/api/release-gate").exchange()).hasStatus(HttpStatus.NOT_FOUND);
	}

}
