package org.fleethealth.mail;

import java.time.Instant;
import java.util.List;

import org.fleethealth.pruning.ProposalKind;
import org.fleethealth.pruning.ProposalStatus;
import org.fleethealth.pruning.ProposalView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The summary of new proposals names what they ask for, and the twins a decision takes too. */
class ProposalsSummaryTests {

	private static final ProposalView REMOVE = proposal(7, "python", ProposalKind.REMOVE_WORKER);

	private static final ProposalView HIDE = proposal(8, "python", ProposalKind.HIDE_BUILDERS);

	@Test
	void removalsOnlyKeepTheirSubject() {
		assertThat(ProposalsSummary.subject("python", List.of(REMOVE)))
			.isEqualTo("[fleet-health] 1 new removal proposal on python");
		assertThat(ProposalsSummary.subject("python", List.of(REMOVE, REMOVE)))
			.isEqualTo("[fleet-health] 2 new removal proposals on python");
		assertThat(ProposalsSummary.heading(List.of(REMOVE))).isEqualTo("New removal proposals");
	}

	@Test
	void proposalsToHideBuildersAreNotCalledRemovals() {
		assertThat(ProposalsSummary.subject("python", List.of(HIDE)))
			.isEqualTo("[fleet-health] 1 new proposal to hide builders on python");
		assertThat(ProposalsSummary.subject("python", List.of(HIDE, HIDE)))
			.isEqualTo("[fleet-health] 2 new proposals to hide builders on python");
		assertThat(ProposalsSummary.heading(List.of(HIDE))).isEqualTo("New proposals to hide builders");
	}

	@Test
	void bothKindsAreCountedEach() {
		assertThat(ProposalsSummary.subject("python", List.of(REMOVE, HIDE, HIDE)))
			.isEqualTo("[fleet-health] 3 new proposals on python: 1 removal, 2 to hide builders");
		assertThat(ProposalsSummary.subject("python", List.of(REMOVE, REMOVE, HIDE)))
			.isEqualTo("[fleet-health] 3 new proposals on python: 2 removals, 1 to hide builders");
		assertThat(ProposalsSummary.heading(List.of(REMOVE, HIDE))).isEqualTo("New proposals");
	}

	@Test
	void twinsAreNamedWithTheirMasterAndId() {
		assertThat(ProposalsSummary.twins(List.of(proposal(4, "staging", ProposalKind.HIDE_BUILDERS))))
			.isEqualTo("also waiting on staging (#4): the same worker; a decision on one is taken on both");
		assertThat(ProposalsSummary.twins(List.of(proposal(4, "staging", ProposalKind.HIDE_BUILDERS),
				proposal(5, "canary", ProposalKind.HIDE_BUILDERS))))
			.isEqualTo("also waiting on staging (#4), canary (#5): the same worker; a decision on one is taken on all");
	}

	private static ProposalView proposal(long id, String master, ProposalKind kind) {
		Instant at = Instant.parse("2026-11-27T12:00:00Z");
		return new ProposalView(id, master, "bob-ppc64", kind, ProposalStatus.PROPOSED, "offline for 31d",
				List.of("gcc bob-ppc64"), "Bob", "bob@example.org", at, at, null, null, null);
	}

}
