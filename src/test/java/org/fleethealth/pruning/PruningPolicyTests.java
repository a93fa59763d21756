package org.fleethealth.pruning;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When proposals are opened, withdrawn and woken up. */
class PruningPolicyTests {

	static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

	private final PruningPolicy policy = new PruningPolicy(PruningProperties.defaults());

	private static WorkerReport worker(WorkerState state, Duration inState) {
		return new WorkerReport("lab", "dave-macos", state, NOW.minus(inState),
				new WorkerReport.OwnerView("Dave", "dave@example.org"), null, false, false, null, null, Set.of(),
				List.of("not connected since ..."), new WorkerReport.Counts(0, 0, 0, 0, 0, 0), NOW, null, null, null);
	}

	private static Proposal proposal(ProposalKind kind, ProposalStatus status, Instant created) {
		Proposal p = new Proposal("lab", "dave-macos", kind, "reason", List.of("gcc dave-macos"), created);
		switch (status) {
			case APPROVED -> p.approve("m", created);
			case REJECTED -> p.reject("m", created);
			case SNOOZED -> p.snooze(NOW.plus(Duration.ofDays(1)), "m", created);
			case WITHDRAWN -> p.withdraw(created);
			default -> {
			}
		}
		return p;
	}

	private List<PruningPolicy.Decision> decide(WorkerReport report, Proposal... proposals) {
		return this.policy.decide(report, new ArrayList<>(List.of(proposals)), null, NOW);
	}

	/** A round passes over workers not in play: nothing would have been decided for them, however long in state. */
	@Test
	void aWorkerNotInPlayGetsNoDecision() {
		for (WorkerState state : WorkerState.values()) {
			for (Duration inState : List.of(Duration.ZERO, Duration.ofDays(8), Duration.ofDays(400))) {
				WorkerReport report = worker(state, inState);
				if (!PruningPolicy.inPlay(report, List.of())) {
					assertThat(decide(report)).as(state + " for " + inState).isEmpty();
				}
			}
		}
		assertThat(PruningPolicy.inPlay(worker(WorkerState.HEALTHY, Duration.ZERO),
				List.of(proposal(ProposalKind.REMOVE_WORKER, ProposalStatus.PROPOSED, NOW)))).isTrue();
		assertThat(PruningPolicy.inPlay(worker(WorkerState.OFFLINE, Duration.ZERO), List.of())).isTrue();
		assertThat(PruningPolicy.inPlay(worker(WorkerState.FLAKY_HOST, Duration.ZERO), List.of())).isTrue();
	}

	@Test
	void offlineForAWeekProposesToHideBuilders() {
		var decisions = decide(worker(WorkerState.OFFLINE, Duration.ofDays(8)));
		assertThat(decisions).singleElement().satisfies((d) -> {
			assertThat(d.kind()).isEqualTo(ProposalKind.HIDE_BUILDERS);
			assertThat(d.action()).isEqualTo(PruningPolicy.Action.PROPOSE);
			assertThat(d.reason()).startsWith("offline for 8d (since 2026-11-19T12:00:00Z; hide-builders-after 7d)")
				.endsWith(": not connected since ...");
		});
	}

	@Test
	void aWithdrawnProposalSaysTheServiceWithdrewItNotTheMaintainerWhoSnoozedIt() {
		Proposal p = proposal(ProposalKind.HIDE_BUILDERS, ProposalStatus.SNOOZED, NOW.minus(Duration.ofDays(2)));
		assertThat(p.getDecidedBy()).isEqualTo("m");
		p.withdraw(NOW);
		assertThat(p.getStatus()).isEqualTo(ProposalStatus.WITHDRAWN);
		assertThat(p.getDecidedBy()).isEqualTo("fleet-health (auto)");
		assertThat(p.getDecidedAt()).isEqualTo(NOW);
		assertThat(p.getSnoozedUntil()).isNull();
	}

	@Test
	void offlineForSixDaysProposesNothing() {
		assertThat(decide(worker(WorkerState.OFFLINE, Duration.ofDays(6)))).isEmpty();
	}

	@Test
	void offlineForAMonthProposesRemovalToo() {
		assertThat(decide(worker(WorkerState.OFFLINE, Duration.ofDays(31)))).extracting(PruningPolicy.Decision::kind)
			.containsExactly(ProposalKind.HIDE_BUILDERS, ProposalKind.REMOVE_WORKER);
	}

	@Test
	void flakyForFourWeeksProposesRemoval() {
		assertThat(decide(worker(WorkerState.FLAKY_HOST, Duration.ofDays(28)))).singleElement()
			.satisfies((d) -> assertThat(d.reason()).startsWith("flaky host for 28d"));
		assertThat(decide(worker(WorkerState.FLAKY_HOST, Duration.ofDays(27)))).isEmpty();
	}

	@Test
	void oneOpenProposalPerKind() {
		Proposal open = proposal(ProposalKind.HIDE_BUILDERS, ProposalStatus.PROPOSED, NOW.minus(Duration.ofDays(1)));
		assertThat(decide(worker(WorkerState.OFFLINE, Duration.ofDays(8)), open)).isEmpty();
		Proposal approved = proposal(ProposalKind.HIDE_BUILDERS, ProposalStatus.APPROVED, NOW.minus(Duration.ofDays(1)));
		assertThat(decide(worker(WorkerState.OFFLINE, Duration.ofDays(8)), approved)).isEmpty();
	}

	@Test
	void anApprovedRemovalWithdrawsTheWaitingHideBuildersProposalAndAsksItNoMore() {
		Proposal removal = proposal(ProposalKind.REMOVE_WORKER, ProposalStatus.APPROVED, NOW.minus(Duration.ofDays(1)));
		Proposal hide = proposal(ProposalKind.HIDE_BUILDERS, ProposalStatus.PROPOSED, NOW.minus(Duration.ofDays(3)));
		assertThat(decide(worker(WorkerState.OFFLINE, Duration.ofDays(40)), removal, hide)).singleElement()
			.satisfies((d) -> {
				assertThat(d.kind()).isEqualTo(ProposalKind.HIDE_BUILDERS);
				assertThat(d.action()).isEqualTo(PruningPolicy.Action.WITHDRAW);
				assertThat(d.reason()).isEqualTo("its removal was approved");
			});
		hide.withdraw(NOW);
		assertThat(decide(worker(WorkerState.OFFLINE, Duration.ofDays(40)), removal, hide)).isEmpty();
		Proposal hideApproved = proposal(ProposalKind.HIDE_BUILDERS, ProposalStatus.APPROVED, NOW.minus(Duration.ofDays(3)));
		assertThat(decide(worker(WorkerState.OFFLINE, Duration.ofDays(40)), removal, hideApproved)).isEmpty();
	}

	@Test
	void aMasterOutageChangesNothing() {
		Proposal open = proposal(ProposalKind.HIDE_BUILDERS, ProposalStatus.PROPOSED, NOW.minus(Duration.ofDays(1)));
		assertThat(decide(worker(WorkerState.UNKNOWN, Duration.ofDays(40)), open)).isEmpty();
	}

	@Test
	void recoveryWithdrawsWaitingProposalsButNotDecisions() {
		Proposal open = proposal(ProposalKind.HIDE_BUILDERS, ProposalStatus.PROPOSED, NOW.minus(Duration.ofDays(1)));
		assertThat(decide(worker(WorkerState.HEALTHY, Duration.ofMinutes(5)), open)).singleElement()
			.satisfies((d) -> assertThat(d.action()).isEqualTo(PruningPolicy.Action.WITHDRAW));
		Proposal approved = proposal(ProposalKind.REMOVE_WORKER, ProposalStatus.APPROVED, NOW.minus(Duration.ofDays(1)));
		assertThat(decide(worker(WorkerState.HEALTHY, Duration.ofMinutes(5)), approved)).isEmpty();
	}

	@Test
	void aFlakyWorkerThatGoesOfflineKeepsItsRemovalProposal() {
		Proposal open = proposal(ProposalKind.REMOVE_WORKER, ProposalStatus.PROPOSED, NOW.minus(Duration.ofDays(1)));
		assertThat(decide(worker(WorkerState.OFFLINE, Duration.ofHours(2)), open)).isEmpty();
	}

	@Test
	void aRejectionHoldsForTheEpisode() {
		Proposal rejected = proposal(ProposalKind.HIDE_BUILDERS, ProposalStatus.REJECTED, NOW.minus(Duration.ofDays(1)));
		assertThat(decide(worker(WorkerState.OFFLINE, Duration.ofDays(8)), rejected)).isEmpty();
		// A new outage that began after the rejection is a new episode.
		Proposal oldRejection = proposal(ProposalKind.HIDE_BUILDERS, ProposalStatus.REJECTED, NOW.minus(Duration.ofDays(20)));
		assertThat(decide(worker(WorkerState.OFFLINE, Duration.ofDays(8)), oldRejection)).hasSize(1);
	}

	@Test
	void aSnoozeThatEndedReopens() {
		Proposal snoozed = proposal(ProposalKind.HIDE_BUILDERS, ProposalStatus.SNOOZED, NOW.minus(Duration.ofDays(3)));
		assertThat(this.policy.decide(worker(WorkerState.OFFLINE, Duration.ofDays(9)), List.of(snoozed), null,
				NOW.plus(Duration.ofDays(2))))
			.singleElement()
			.satisfies((d) -> assertThat(d.action()).isEqualTo(PruningPolicy.Action.REOPEN));
		assertThat(decide(worker(WorkerState.OFFLINE, Duration.ofDays(9)), snoozed)).as("still snoozed").isEmpty();
	}

	@Test
	void anOwnersBackByDateSnoozesNewProposals() {
		Instant backBy = NOW.plus(Duration.ofDays(3));
		assertThat(this.policy.decide(worker(WorkerState.OFFLINE, Duration.ofDays(8)), List.of(),
				new PruningPolicy.BackBy(backBy, "dave@example.org (owner reply)"), NOW))
			.singleElement()
			.satisfies((d) -> {
				assertThat(d.snoozeUntil()).isEqualTo(backBy);
				assertThat(d.snoozedBy()).as("as any decision an owner's reply makes").isEqualTo("dave@example.org (owner reply)");
			});
	}

}
