package org.fleethealth.quarantine;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fleethealth.quarantine.QuarantineRules.Case;
import org.fleethealth.quarantine.QuarantineRules.Failure;
import org.fleethealth.quarantine.QuarantineRules.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The safety valve, rule by rule: when a quarantine is refused, and why. */
class QuarantineRulesTests {

	private final QuarantineRules rules = new QuarantineRules(0.25);

	private static final Set<String> EIGHT = Set.of("bob", "alice", "grace", "carol", "erin", "frank", "dave", "ivan");

	/** bob, flaky on x86-64 beside alice and grace; 8 workers, nobody quarantined, no failure shared. */
	private static Case bob() {
		return new Case("lab", "bob", List.of(own("r1"), own("r2"), own("r3")), Map.of(),
				Map.of("x86-64 gcc", List.of("alice", "grace")), Set.of(),
				Map.of("x86-64", Set.of("bob", "alice", "grace", "carol", "erin")), EIGHT);
	}

	private static Failure own(String revision) {
		return new Failure("bob", "x86-64 gcc", revision, "test");
	}

	private static Case with(Case c, List<Failure> own, Map<String, List<Failure>> peers) {
		return new Case(c.master(), c.worker(), own, peers, c.stableBuilders(), c.quarantined(), c.classMembers(),
				c.masterWorkers());
	}

	@Test
	void aFlakyHostWhoseFailuresAreItsOwnGoesAhead() {
		assertThat(this.rules.check(bob())).isEmpty();
	}

	@Test
	void codeBreakWhenMostOfItsHostFailuresAlsoFailedOnAPeerInTheSameStep() {
		Case c = with(bob(), bob().hostFailures(),
				Map.of("r1", List.of(new Failure("carol", "arm64 gcc", "r1", "test")), "r2",
						List.of(new Failure("carol", "arm64 gcc", "r2", "test"))));
		Verdict v = this.rules.codeBreak(c);
		assertThat(v.refusal()).isEqualTo(Refusal.CODE_BREAK);
		assertThat(v.why()).startsWith("2 of its last 3 host failures were on revisions that also failed on its peers")
			.contains("r1 on carol ('arm64 gcc', step 'test')");
		assertThat(this.rules.check(c)).contains(v);
	}

	/**
	 * A new user's trial: carol's own broken test failed the revisions bob failed on his host, and alice, grace and
	 * erin passed them. One peer's failure among passes is that peer's trouble: no code break.
	 */
	@Test
	void noCodeBreakWhenMostPeersThatBuiltTheRevisionsPassedThem() {
		Map<String, List<Failure>> carolFailed = Map.of("r1", List.of(new Failure("carol", "arm64 gcc", "r1", "test")),
				"r2", List.of(new Failure("carol", "arm64 gcc", "r2", "test")), "r3",
				List.of(new Failure("carol", "arm64 gcc", "r3", "test")));
		Map<String, Set<String>> othersPassed = Map.of("r1", Set.of("alice", "grace", "erin"), "r2",
				Set.of("alice", "grace"), "r3", Set.of("alice"));
		Case c = new Case("lab", "bob", bob().hostFailures(), carolFailed, othersPassed, bob().stableBuilders(),
				Set.of(), bob().classMembers(), EIGHT);
		assertThat(this.rules.codeBreak(c)).isNull();
		assertThat(this.rules.check(c)).isEmpty();
		// Where the peers that failed outnumber those that passed, it is the code's.
		Map<String, List<Failure>> twoFailed = Map.of("r1",
				List.of(new Failure("carol", "arm64 gcc", "r1", "test"), new Failure("erin", "x86-64 clang", "r1", "test")),
				"r2", List.of(new Failure("carol", "arm64 gcc", "r2", "test"),
						new Failure("erin", "x86-64 clang", "r2", "test")));
		Case codeBreak = new Case("lab", "bob", bob().hostFailures(), twoFailed,
				Map.of("r1", Set.of("alice"), "r2", Set.of("alice")), bob().stableBuilders(), Set.of(),
				bob().classMembers(), EIGHT);
		assertThat(this.rules.codeBreak(codeBreak).refusal()).isEqualTo(Refusal.CODE_BREAK);
	}

	@Test
	void noCodeBreakWhenOnlyAFewFailedOnPeersOrInAnotherStep() {
		Case fewShared = with(bob(), bob().hostFailures(),
				Map.of("r1", List.of(new Failure("carol", "arm64 gcc", "r1", "test"))));
		assertThat(this.rules.codeBreak(fewShared)).isNull();
		Case otherStep = with(bob(), bob().hostFailures(),
				Map.of("r1", List.of(new Failure("carol", "arm64 gcc", "r1", "compile")), "r2",
						List.of(new Failure("carol", "arm64 gcc", "r2", "compile"))));
		assertThat(this.rules.codeBreak(otherStep)).isNull();
		assertThat(this.rules.codeBreak(with(bob(), List.of(), Map.of()))).isNull();
	}

	@Test
	void aFailingStepNotReadYetMatchesAnyStep() {
		Case c = with(bob(), List.of(new Failure("bob", "x86-64 gcc", "r1", null)),
				Map.of("r1", List.of(new Failure("grace", "x86-64 gcc", "r1", "test"))));
		assertThat(this.rules.codeBreak(c).refusal()).isEqualTo(Refusal.CODE_BREAK);
	}

	@Test
	void stableBuilderLeftWithoutAConnectedUnpausedWorker() {
		Case c = new Case("lab", "bob", List.of(), Map.of(),
				Map.of("x86-64 gcc", List.of("alice"), "freebsd gcc", List.of()), Set.of(), Map.of(), EIGHT);
		Verdict v = this.rules.stableBuilder(c);
		assertThat(v.refusal()).isEqualTo(Refusal.STABLE_BUILDER);
		assertThat(v.why()).isEqualTo("the stable builder 'freebsd gcc' would have no connected, unpaused worker left");
		assertThat(this.rules.stableBuilder(bob())).isNull();
	}

	@Test
	void classShareCountsOnlyFleetHealthsOwnQuarantines() {
		// alice is quarantined by fleet-health: bob would make 2 of 5 x86-64 workers (0.40 > 0.25).
		Case c = new Case("lab", "bob", List.of(), Map.of(), Map.of(), Set.of("alice"),
				Map.of("x86-64", Set.of("bob", "alice", "grace", "carol", "erin")), EIGHT);
		Verdict v = this.rules.classShare(c);
		assertThat(v.refusal()).isEqualTo(Refusal.CLASS_SHARE);
		assertThat(v.why()).isEqualTo("quarantining it would hold 2 of the 5 workers of build class 'x86-64'"
				+ " quarantined by fleet-health at once (0.40 > max-share 0.25)");
		// Paused by someone else, alice is not in the quarantined set: 1 of 5 is fine.
		assertThat(this.rules.classShare(bob())).isNull();
	}

	@Test
	void classShareAtTheLimitIsAllowed() {
		Case c = new Case("lab", "bob", List.of(), Map.of(), Map.of(), Set.of(),
				Map.of("gcc", Set.of("bob", "alice", "grace", "carol")), EIGHT);
		assertThat(this.rules.classShare(c)).isNull();
		Case small = new Case("lab", "bob", List.of(), Map.of(), Map.of(), Set.of(),
				Map.of("x86-64", Set.of("bob", "alice", "grace")), EIGHT);
		assertThat(this.rules.classShare(small).why()).contains("1 of the 3 workers of build class 'x86-64'");
	}

	@Test
	void masterShare() {
		Case c = new Case("lab", "bob", List.of(), Map.of(), Map.of(), Set.of("alice", "carol"), Map.of(), EIGHT);
		Verdict v = this.rules.masterShare(c);
		assertThat(v.refusal()).isEqualTo(Refusal.MASTER_SHARE);
		assertThat(v.why()).contains("3 of the 8 workers of master 'lab'").contains("0.38 > max-share 0.25");
		assertThat(this.rules.masterShare(bob())).isNull();
		assertThat(new QuarantineRules(0.5).masterShare(c)).isNull();
	}

	@Test
	void theFirstRuleThatAppliesDecides() {
		Case c = new Case("lab", "bob", List.of(own("r1")),
				Map.of("r1", List.of(new Failure("carol", "arm64 gcc", "r1", "test"))), Map.of("x86-64 gcc", List.of()),
				Set.of("alice", "carol"), Map.of("x86-64", Set.of("bob", "alice")), EIGHT);
		assertThat(this.rules.check(c).map(Verdict::refusal)).contains(Refusal.CODE_BREAK);
	}

}
