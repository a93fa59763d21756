package org.fleethealth.web;

import java.util.List;
import java.util.Optional;

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

	@Test
	void theGateNamesItsBlockersWithTheirLastBuildsAndWorkers() {
		given(this.gates.masters()).willReturn(List.of("lab"));
		given(this.gates.gate("lab")).willReturn(Optional.of(PageFixtures.gate()));
		var json = assertThat(this.mvc.get().uri("/api/release-gate").exchange()).hasStatusOk().bodyJson();
		json.extractingPath("$.master").isEqualTo("lab");
		json.extractingPath("$.verdict").isEqualTo("no-go");
		json.extractingPath("$.stableBuilders").isEqualTo(3);
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
		json.extractingPath("$.remove[0].reasons[0]").isEqualTo("6 of 6 builds within P7D failed");
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
