package org.fleethealth.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.fleethealth.gate.GateFacts.BuildFacts;
import org.fleethealth.gate.GateFacts.StableBuilder;
import org.fleethealth.gate.GateFacts.WorkerFacts;
import org.fleethealth.gate.GateRules.Kind;
import org.fleethealth.health.Outcome;
import org.fleethealth.health.WorkerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The release gate rules, table-driven: every cause on every kind of tier, the verdict per branch and per master.
 */
class GateRulesTests {

	static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

	static final String POOL_MATES = "failed on 'x86-64 gcc 3.x' where its pool mates pass (the builds around it "
			+ "passed: 'x86-64 gcc 3.x' #11 on grace-debian)";

	/** One stable builder: what it is, where it ends up on a blocking tier, why, and the words that say so. */
	static Stream<Arguments> causes() {
		return Stream.of(
				// code: blockers that say why they are the code's
				Arguments.of("a failure on a healthy worker", new B().failed(12, 1, "alice-debian", Outcome.FAILURE),
						Kind.BLOCKER, Cause.CODE,
						"last build #12 failed in step 'test' on alice-debian (healthy) at 2026-11-27T11:00:00Z (1h ago), "
								+ "the build's fault: it failed on a healthy worker, alice-debian (healthy)"),
				Arguments.of("a code break",
						new B().failed(12, 1, "bob-freebsd", Outcome.CODE_BREAK,
								"revision abc123 failed on 4 of 4 builders that built it"),
						Kind.BLOCKER, Cause.CODE, "the code's fault: the same revision failed on its peers too (revision "
								+ "abc123 failed on 4 of 4 builders that built it)"),
				Arguments.of("a failing streak",
						new B().failed(12, 1, "alice-debian", Outcome.FAILURE)
							.failed(11, 2, "grace-debian", Outcome.FAILURE)
							.failed(10, 3, "alice-debian", Outcome.FAILURE)
							.passed(9, 4, "grace-debian"),
						Kind.BLOCKER, Cause.CODE, "the build's fault: the builder failed its last 3 builds in a row, on alice-debian "
								+ "(healthy), grace-debian (healthy), none counted against its host"),
				Arguments.of("a code break is passed over in counting a streak",
						new B().failed(12, 1, "alice-debian", Outcome.FAILURE)
							.failed(11, 2, "grace-debian", Outcome.CODE_BREAK)
							.passed(10, 3, "alice-debian"),
						Kind.BLOCKER, Cause.CODE, "the build's fault: it failed on a healthy worker, alice-debian (healthy)"),
				Arguments.of("a failure the classifier has not judged yet", new B().failed(12, 1, "alice-debian", null),
						Kind.BLOCKER, Cause.CODE, "the classifier has not judged it (its failing step is still to be read"),
				Arguments.of("a failure the master names no worker for", new B().failed(12, 1, null, null),
						Kind.BLOCKER, Cause.CODE, "the classifier has not judged it (the master names no worker for it)"),
				Arguments.of("an exception not judged", new B().exception(12, 1, "alice-debian", null), Kind.BLOCKER,
						Cause.CODE, "last build #12 ended in an exception"),
				Arguments.of("a failure on a flaky host that is not counted against it",
						new B().failed(12, 1, "bob-freebsd", Outcome.FAILURE), Kind.BLOCKER, Cause.CODE,
						"the classifier does not count it against the host of bob-freebsd (flaky-host)"),
				Arguments.of("a failure of the code behind a later host failure",
						new B().failed(13, 1, "bob-freebsd", Outcome.HOST_FAILURE, POOL_MATES)
							.failed(12, 2, "alice-debian", Outcome.FAILURE),
						Kind.BLOCKER, Cause.CODE,
						"build #12 failed in step 'test' on alice-debian (healthy) at 2026-11-27T10:00:00Z (2h ago), "
								+ "the build's fault: it failed on a healthy worker, alice-debian (healthy); the later build #13 "
								+ "on bob-freebsd failed too, and is counted against that host"),
				// host: concerns that name the host, its state and the build that passed
				Arguments.of("a host failure where its pool mates pass",
						new B().failed(12, 1, "bob-freebsd", Outcome.HOST_FAILURE, POOL_MATES)
							.passed(11, 2, "grace-debian"),
						Kind.CONCERN, Cause.HOST,
						"last build #12 failed in step 'test' on bob-freebsd (flaky-host) at 2026-11-27T11:00:00Z (1h ago), "
								+ "which the classifier counts against that host: " + POOL_MATES
								+ "; #11 passed on grace-debian 2h ago (the host's failure, not the code's)"),
				Arguments.of("a host failure on a revision no build of the builder passed",
						new B().revision("def4567890abcdef")
							.failed(12, 1, "bob-freebsd", Outcome.HOST_FAILURE, POOL_MATES)
							.revision("abc123")
							.passed(11, 2, "grace-debian"),
						Kind.CONCERN, Cause.HOST, "(the host's failure, not the code's); the revision it failed,"
								+ " def4567890, has not passed on this builder yet"),
				Arguments.of("an exception counted against its host",
						new B().exception(12, 1, "bob-freebsd", Outcome.HOST_FAILURE).passed(11, 2, "alice-debian"),
						Kind.CONCERN, Cause.HOST, "ended in an exception on bob-freebsd (flaky-host)"),
				Arguments.of("a host that fails every build of it",
						new B().failed(12, 1, "bob-freebsd", Outcome.HOST_FAILURE, "infrastructure step 'git'")
							.failed(11, 2, "bob-freebsd", Outcome.HOST_FAILURE, "infrastructure step 'git'"),
						Kind.CONCERN, Cause.HOST, "no build of it on another worker passed in the window"),
				// paused
				Arguments.of("every worker paused: a concern, not passing",
						new B().worker("alice-debian", WorkerState.PAUSED, true)
							.worker("grace-debian", WorkerState.PAUSED, false)
							.passed(11, 2, "alice-debian"),
						Kind.CONCERN, Cause.PAUSED, "paused: every worker that serves it is paused (alice-debian, grace-debian)"),
				Arguments.of("one worker of two paused: the other tests it",
						new B().worker("alice-debian", WorkerState.PAUSED, true)
							.worker("grace-debian", WorkerState.HEALTHY, true)
							.passed(11, 2, "grace-debian"),
						Kind.PASSING, null, "last build #11 ended in success"),
				Arguments.of("a red last build still blocks when its workers were paused after it",
						new B().worker("alice-debian", WorkerState.PAUSED, true).failed(12, 1, "alice-debian", Outcome.FAILURE),
						Kind.BLOCKER, Cause.CODE, "build #12 failed"),
				// no worker
				Arguments.of("no worker connected while the master is silent",
						new B().worker("alice-debian", WorkerState.UNKNOWN, false).passed(11, 20, "alice-debian"),
						Kind.CONCERN, Cause.NO_WORKER, "master 'lab' is not answering, so whether alice-debian is connected"
								+ " is unknown"),
				Arguments.of("no worker connected while the master is silent, several workers",
						new B().worker("erin-ppc64le", WorkerState.UNKNOWN, false)
							.worker("frank-ppc64le", WorkerState.UNKNOWN, false)
							.worker("gus-ppc64le", WorkerState.UNKNOWN, false)
							.passed(11, 20, "erin-ppc64le"),
						Kind.CONCERN, Cause.NO_WORKER, "master 'lab' is not answering, so whether erin-ppc64le,"
								+ " frank-ppc64le and gus-ppc64le are connected is unknown"),
				Arguments.of("its workers serve another watched master under the same name (LLVM's staging)",
						new B().workerElsewhere("grace-debian", "production")
							.worker("alice-debian", WorkerState.OFFLINE, false)
							.passed(11, 30, "grace-debian"),
						Kind.CONCERN, Cause.NO_WORKER, "no worker connected to master 'lab' (grace-debian is connected to"
								+ " master 'production'), so nothing tests the release on this master's copy of it now"),
				Arguments.of("a failure still blocks when its workers serve another master",
						new B().workerElsewhere("grace-debian", "production").failed(11, 30, "grace-debian", Outcome.FAILURE),
						Kind.BLOCKER, Cause.CODE, "failed in step 'test'"),
				Arguments.of("disconnected, but built within recent-build",
						new B().worker("carol-arm64", WorkerState.HEALTHY, false).passed(11, 3, "carol-arm64"),
						Kind.CONCERN, Cause.NO_WORKER,
						"no worker connected (carol-arm64 is disconnected), but it finished a build 3h ago, within 6h"),
				Arguments.of("a cancelled build within recent-build still shows the worker was there",
						new B().worker("carol-arm64", WorkerState.OFFLINE, false).passed(11, 20, "carol-arm64").finished(3),
						Kind.CONCERN, Cause.NO_WORKER, "finished a build 3h ago"),
				Arguments.of("disconnected for longer than recent-build",
						new B().worker("carol-arm64", WorkerState.OFFLINE, false).passed(11, 7, "carol-arm64"),
						Kind.BLOCKER, Cause.NO_WORKER, "no worker connected (carol-arm64 is offline) and its last build "
								+ "finished at 2026-11-27T05:00:00Z (7h ago), more than 6h ago: nothing tests the release"),
				Arguments.of("offline and never built", new B().worker("carol-arm64", WorkerState.OFFLINE, false),
						Kind.BLOCKER, Cause.NO_WORKER, "it has never finished a build"),
				Arguments.of("no worker configured", new B().noWorkers().passed(11, 30, "carol-arm64"), Kind.BLOCKER,
						Cause.NO_WORKER, "no worker is configured for it"),
				Arguments.of("a failure blocks even when its worker is offline",
						new B().worker("carol-arm64", WorkerState.OFFLINE, false)
							.failed(11, 30, "carol-arm64", Outcome.FAILURE),
						Kind.BLOCKER, Cause.CODE, "failed in step 'test' on carol-arm64 (offline)"),
				// stale
				Arguments.of("connected, but no build for longer than stale-after",
						new B().passed(11, 15 * 24, "alice-debian"), Kind.CONCERN, Cause.STALE,
						"stale: it has finished no build for 15d (since 2026-11-12T12:00:00Z), more than 14d"),
				Arguments.of("connected, never built", new B(), Kind.CONCERN, Cause.STALE,
						"stale: it has never finished a build"),
				Arguments.of("only cancelled builds", new B().finished(2), Kind.CONCERN, Cause.STALE,
						"no build has passed or failed yet"),
				Arguments.of("every build ended by the master",
						new B().exception(12, 1, "alice-debian", Outcome.INTERRUPTED), Kind.CONCERN, Cause.STALE,
						"no build has tested the code yet: its master ended every one"),
				// the list is wrong
				Arguments.of("a configured builder the master lacks", new B().unknown(), Kind.CONCERN,
						Cause.UNKNOWN_BUILDER, "configured as stable, but master 'lab' has no current builder"),
				// passing
				Arguments.of("green", new B().passed(12, 2, "alice-debian"), Kind.PASSING, null,
						"last build #12 ended in success 2h ago"),
				Arguments.of("warnings", new B().warnings(12, 2, "alice-debian"), Kind.PASSING, null,
						"ended in warnings"),
				Arguments.of("green, then a build ended by its master",
						new B().exception(13, 1, "alice-debian", Outcome.INTERRUPTED).passed(12, 2, "grace-debian"),
						Kind.PASSING, null, "last build #12 ended in success 2h ago; #13 after it was ended by its master"),
				Arguments.of("green on one of two workers, the other offline",
						new B().worker("carol-arm64", WorkerState.OFFLINE, false)
							.worker("alice-debian", WorkerState.HEALTHY, true)
							.passed(12, 20, "alice-debian"),
						Kind.PASSING, null, "ended in success"));
	}

	/**
	 * The tiers: on {@code tier-1} and {@code tier-2} (the default {@code blocking-tiers}) what would block
	 * blocks; on {@code tier-3} it is a concern; without a tier it blocks unless {@code untiered-blocks=false};
	 * {@code tierless} is no tier; a tier is compared ignoring case.
	 */
	static Stream<Arguments> tiers() {
		GateProperties defaults = GateProperties.defaults();
		return Stream.of(Arguments.of("tier-1", List.of("stable", "tier-1"), defaults, true),
				Arguments.of("tier-2", List.of("stable", "tier-2"), defaults, true),
				Arguments.of("tier-3", List.of("stable", "tier-3"), defaults, false),
				Arguments.of("TIER-1", List.of("stable", "TIER-1"), defaults, true),
				Arguments.of("no tier", List.of("stable", "gcc"), defaults, true),
				Arguments.of("tierless", List.of("stable", "tierless"), defaults, true),
				Arguments.of("no tier, untiered-blocks=false", List.of("stable"),
						defaults.withTiers(List.of("tier-1", "tier-2"), false), false),
				Arguments.of("tier-2, blocking-tiers=tier-1", List.of("stable", "tier-2"),
						defaults.withTiers(List.of("tier-1"), true), false));
	}

	/** Every cause on every tier. */
	static Stream<Arguments> causesByTier() {
		List<Arguments> tiers = tiers().toList();
		return causes().flatMap((c) -> tiers.stream().map((t) -> {
			Object[] cause = c.get();
			Object[] tier = t.get();
			return Arguments.of(cause[0] + " on " + tier[0], cause[1], cause[2], cause[3], cause[4], tier[1], tier[2],
					tier[3]);
		}));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("causesByTier")
	@SuppressWarnings("unchecked")
	void judgesEachStableBuilderByCauseAndTier(String name, B builder, Kind onBlockingTier, Cause cause, String reason,
			List<String> tags, GateProperties properties, boolean tierBlocks) {
		StableBuilder stable = builder.tags(tags).build();
		GateReport report = new GateRules(properties).evaluate("lab", List.of(stable), NOW);
		// A branch whose only stable builder never tested the code is no-go, whatever it is judged.
		boolean untested = builder.known && BuildRules.tested(stable) == null;
		Kind expected = (onBlockingTier == Kind.BLOCKER && !tierBlocks) ? Kind.CONCERN : onBlockingTier;
		List<GateReport.Entry> entries = switch (expected) {
			case BLOCKER -> report.blockers();
			case CONCERN -> report.concerns();
			case PASSING -> report.passing();
		};
		assertThat(entries).as(name).hasSize(1);
		GateReport.Entry entry = entries.get(0);
		assertThat(entry.reason()).as(name).contains(reason);
		assertThat(entry.cause()).as(name).isEqualTo(cause);
		if (onBlockingTier == Kind.BLOCKER && !tierBlocks) {
			assertThat(entry.reason()).as(name).contains("this does not block a release: ");
		}
		else {
			assertThat(entry.reason()).as(name).doesNotContain("does not block");
		}
		assertThat(report.blockers().size() + report.concerns().size() + report.passing().size()).isEqualTo(1);
		// A builder the master lacks is no stable builder: a set of it alone is empty, so no-go.
		assertThat(report.verdict()).isEqualTo((expected == Kind.BLOCKER || untested || !builder.known)
				? GateVerdict.NO_GO : GateVerdict.GO);
		assertThat(report.stableBuilders()).isEqualTo(builder.known ? 1 : 0);
		if (builder.known) {
			assertThat(report.branches()).singleElement().satisfies((b) -> {
				assertThat(b.branch()).isEqualTo("3.x");
				assertThat(b.verdict()).isEqualTo(report.verdict());
			});
			assertThat(entry.branch()).isEqualTo("3.x");
		}
	}

	@Test
	void aHostConcernNamesTheHostItsStateThePeerBuildAndWhatToDo() {
		GateReport report = rules().evaluate("lab",
				List.of(new B().failed(12, 1, "bob-freebsd", Outcome.HOST_FAILURE, POOL_MATES)
					.passed(11, 2, "bob-freebsd")
					.passed(10, 3, "grace-debian")
					.build()),
				NOW);
		GateReport.Entry concern = report.concerns().get(0);
		assertThat(concern.cause()).isEqualTo(Cause.HOST);
		assertThat(concern.worker()).isEqualTo("bob-freebsd");
		assertThat(concern.workerState()).isEqualTo(WorkerState.FLAKY_HOST);
		assertThat(concern.outcome()).isEqualTo(Outcome.HOST_FAILURE);
		assertThat(concern.judgement()).isEqualTo(POOL_MATES);
		assertThat(concern.lastBuild().number()).isEqualTo(12);
		assertThat(concern.peerBuild()).as("a build on another worker, not the host's own").satisfies((p) -> {
			assertThat(p.number()).isEqualTo(10);
			assertThat(p.worker()).isEqualTo("grace-debian");
			assertThat(p.url()).isEqualTo("http://lab/#/builders/1/builds/10");
		});
		assertThat(concern.action()).isEqualTo("fix the host bob-freebsd (flaky-host), or take it off 'x86-64 gcc 3.x' "
				+ "(the stable-set proposal lists 'x86-64 gcc 3.x' under remove)");
		assertThat(concern.tier()).isEqualTo("tier-1");
		assertThat(report.verdict()).isEqualTo(GateVerdict.GO);
	}

	@Test
	void aFailureThatIsNoCodeBreakAsksToFixTheBuildThere() {
		GateReport report = rules().evaluate("lab",
				List.of(new B().worker("erin-ppc64le", WorkerState.FAILING_BUILD, true)
					.failed(12, 1, "erin-ppc64le", Outcome.FAILURE)
					.failed(11, 2, "erin-ppc64le", Outcome.FAILURE)
					.build()),
				NOW);
		assertThat(report.blockers()).singleElement().satisfies((blocker) -> {
			assertThat(blocker.cause()).isEqualTo(Cause.CODE);
			assertThat(blocker.reason()).contains("the build's fault: the builder failed its last 2 builds");
			assertThat(blocker.action()).isEqualTo("fix the build of branch '3.x' on 'x86-64 gcc 3.x': the code as it"
					+ " builds there, or its platform (its failures are not a revision failing on its peers too)");
		});
	}

	@Test
	void aBlockerNamesItsLastBuildAndTheWorkerThatRanIt() {
		GateReport report = rules().evaluate("lab",
				List.of(new B().failed(12, 1, "alice-debian", Outcome.CODE_BREAK, "revision abc123 failed on 3 of 3")
					.build()),
				NOW);
		GateReport.Entry blocker = report.blockers().get(0);
		assertThat(blocker.builder()).isEqualTo("x86-64 gcc 3.x");
		assertThat(blocker.stableBecause()).isEqualTo("tag");
		assertThat(blocker.worker()).isEqualTo("alice-debian");
		assertThat(blocker.workerState()).isEqualTo(WorkerState.HEALTHY);
		assertThat(blocker.lastBuild().number()).isEqualTo(12);
		assertThat(blocker.lastBuild().results()).isEqualTo(2);
		assertThat(blocker.lastBuild().result()).isEqualTo("failure");
		assertThat(blocker.lastBuild().revision()).isEqualTo("abc123");
		assertThat(blocker.lastBuild().url()).isEqualTo("http://lab/#/builders/1/builds/12");
		assertThat(blocker.outcome()).isEqualTo(Outcome.CODE_BREAK);
		assertThat(blocker.cause()).isEqualTo(Cause.CODE);
		assertThat(blocker.peerBuild()).isNull();
		assertThat(blocker.action()).isEqualTo("fix the code on branch '3.x'");
	}

	@Test
	void disconnectedBlocksFalseMakesADisconnectedBuilderAConcern() {
		GateRules lenient = new GateRules(GateProperties.defaults().withDisconnectedBlocks(false));
		GateReport report = lenient.evaluate("lab",
				List.of(new B().worker("carol-arm64", WorkerState.OFFLINE, false).passed(11, 7, "carol-arm64").build()),
				NOW);
		assertThat(report.verdict()).isEqualTo(GateVerdict.GO);
		assertThat(report.concerns()).singleElement().satisfies((c) -> {
			assertThat(c.cause()).isEqualTo(Cause.NO_WORKER);
			assertThat(c.reason()).contains("more than 6h ago (fleet-health.gate.disconnected-blocks is false)");
		});
		// A failure still blocks: the option is about workers, not about the code.
		GateReport failing = lenient.evaluate("lab", List.of(new B().worker("carol-arm64", WorkerState.OFFLINE, false)
			.failed(11, 7, "carol-arm64", Outcome.FAILURE)
			.build()), NOW);
		assertThat(failing.verdict()).isEqualTo(GateVerdict.NO_GO);
	}

	@Test
	void aBranchNoStableBuilderHasTestedIsNoGo() {
		// The 3.14 builders never ran (a new user's finding: "go", and /check answered 200); 3.x has a pass.
		List<StableBuilder> stable = List.of(new B().named("x86-64 gcc 3.x").passed(5, 1, "alice-debian").build(),
				new B().named("x86-64 gcc 3.14").branch("3.14").build(),
				new B().named("x86-64 clang 3.14").branch("3.14").build());
		GateReport report = rules().evaluate("lab", stable, NOW);
		assertThat(report.onBranch("3.14").verdict()).isEqualTo(GateVerdict.NO_GO);
		assertThat(report.onBranch("3.14").blockers()).isEmpty();
		assertThat(report.onBranch("3.14").notes()).containsExactly(
				"no stable builder of branch '3.14' has tested the code yet: nothing on it is known to be green");
		assertThat(report.onBranch("3.x").verdict()).isEqualTo(GateVerdict.GO);
		assertThat(report.verdict()).isEqualTo(GateVerdict.NO_GO);
	}

	@Test
	void aStableSetOfBuildersTheMasterLacksIsNoGoNotAnEmptyGo() {
		GateReport report = rules().evaluate("lab", List.of(new B().named("ghost").unknown().build()), NOW);
		assertThat(report.stableBuilders()).isZero();
		assertThat(report.branches()).isEmpty();
		assertThat(report.concerns()).extracting(GateReport.Entry::builder).containsExactly("ghost");
		assertThat(report.notes()).singleElement().asString().startsWith("no builder of master 'lab' is in the stable set");
		assertThat(report.verdict()).isEqualTo(GateVerdict.NO_GO);
	}

	@Test
	void eachBranchHasItsOwnVerdictAndTheMastersIsNoGoIfAnyIs() {
		List<StableBuilder> stable = List.of(new B().named("x86-64 gcc 3.x").passed(5, 1, "alice-debian").build(),
				new B().named("x86-64 gcc 3.14").branch("3.14").failed(6, 1, "alice-debian", Outcome.FAILURE).build(),
				new B().named("x86-64 clang 3.14").branch("3.14").passed(7, 1, "grace-debian").build(),
				new B().named("x86-64 gcc PR").branch("PullRequest").passed(8, 1, "grace-debian").build(),
				new B().named("x86-64 gcc 3.15").branch("3.15").passed(9, 1, "grace-debian").build(),
				new B().named("x86-64 gcc 3.9").branch("3.9").passed(9, 1, "grace-debian").build(),
				new B().named("gone").unknown().build());
		GateReport report = rules().evaluate("lab", stable, NOW);
		assertThat(report.branches()).extracting(GateReport.BranchGate::branch)
			.as("newest branch first")
			.containsExactly("3.x", "3.15", "3.14", "3.9", "PullRequest");
		assertThat(report.branches()).extracting(GateReport.BranchGate::verdict)
			.containsExactly(GateVerdict.GO, GateVerdict.GO, GateVerdict.NO_GO, GateVerdict.GO, GateVerdict.GO);
		assertThat(report.verdict()).isEqualTo(GateVerdict.NO_GO);
		assertThat(report.stableBuilders()).as("'gone' is a concern, not a stable builder").isEqualTo(6);
		assertThat(report.blockers()).extracting(GateReport.Entry::builder, GateReport.Entry::branch)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("x86-64 gcc 3.14", "3.14"));
		assertThat(report.concerns()).extracting(GateReport.Entry::builder).containsExactly("gone");

		GateReport b314 = report.onBranch("3.14");
		assertThat(b314.branch()).isEqualTo("3.14");
		assertThat(b314.verdict()).isEqualTo(GateVerdict.NO_GO);
		assertThat(b314.stableBuilders()).isEqualTo(2);
		assertThat(b314.blockers()).extracting(GateReport.Entry::builder).containsExactly("x86-64 gcc 3.14");
		assertThat(b314.passing()).extracting(GateReport.Entry::builder).containsExactly("x86-64 clang 3.14");
		assertThat(b314.concerns()).as("a builder on no branch is on none of them").isEmpty();
		assertThat(b314.branches()).singleElement().extracting(GateReport.BranchGate::branch).isEqualTo("3.14");

		GateReport b3x = report.onBranch("3.X");
		assertThat(b3x.verdict()).isEqualTo(GateVerdict.GO);
		assertThat(b3x.branch()).isEqualTo("3.x");
		assertThat(b3x.passing()).extracting(GateReport.Entry::builder).containsExactly("x86-64 gcc 3.x");
	}

	@Test
	void aBranchWithoutStableBuildersIsNoGoWithANote() {
		GateReport report = rules().evaluate("lab", List.of(new B().passed(5, 1, "alice-debian").build()), NOW)
			.onBranch("3.16");
		assertThat(report.verdict()).isEqualTo(GateVerdict.NO_GO);
		assertThat(report.stableBuilders()).isZero();
		assertThat(report.notes()).singleElement()
			.isEqualTo("no stable builder of master 'lab' is on branch '3.16'; branches with stable builders: '3.x'");
	}

	@Test
	void anEmptyStableSetIsNoGoWithANote() {
		GateReport report = rules().evaluate("lab", List.of(), NOW);
		assertThat(report.verdict()).isEqualTo(GateVerdict.NO_GO);
		assertThat(report.branches()).isEmpty();
		assertThat(report.notes()).singleElement().asString().contains("tag builders 'stable'");
	}

	@Test
	void aMasterThatNeverAnsweredIsNoGoForThatAndNotForItsTags() {
		// Nothing read: advice about stable tags would send the user to fix the wrong thing.
		GateReport report = rules().evaluate("down", List.of(), NOW, false);
		assertThat(report.verdict()).isEqualTo(GateVerdict.NO_GO);
		assertThat(report.notes()).singleElement()
			.asString()
			.contains("master 'down' has not answered fleet-health's builds poll yet")
			.doesNotContain("tag builders");
	}

	private static GateRules rules() {
		return new GateRules(GateProperties.defaults());
	}

	/** A stable builder, built up by the table; builds are added newest first. */
	static final class B {

		private String name = "x86-64 gcc 3.x";

		private String branch = "3.x";

		private boolean known = true;

		private List<String> tags = List.of("stable", "tier-1");

		private String revision = "abc123";

		private final List<WorkerFacts> workers = new ArrayList<>();

		private boolean defaultWorkers = true;

		private final List<BuildFacts> builds = new ArrayList<>();

		private Instant finished;

		B named(String name) {
			this.name = name;
			return this;
		}

		B branch(String branch) {
			this.branch = branch;
			return this;
		}

		B tags(List<String> tags) {
			this.tags = tags;
			return this;
		}

		/** The revision of the builds added after this (abc123 until set). */
		B revision(String revision) {
			this.revision = revision;
			return this;
		}

		B passed(int number, int hoursAgo, String worker) {
			return build(number, 0, hoursAgo, worker, Outcome.SUCCESS, null);
		}

		B warnings(int number, int hoursAgo, String worker) {
			return build(number, 1, hoursAgo, worker, Outcome.SUCCESS, null);
		}

		B failed(int number, int hoursAgo, String worker, Outcome outcome) {
			return build(number, 2, hoursAgo, worker, outcome, null);
		}

		B failed(int number, int hoursAgo, String worker, Outcome outcome, String judgement) {
			return build(number, 2, hoursAgo, worker, outcome, judgement);
		}

		B exception(int number, int hoursAgo, String worker, Outcome outcome) {
			return build(number, 4, hoursAgo, worker, outcome, (outcome != null) ? "exception" : null);
		}

		private B build(int number, int results, int hoursAgo, String worker, Outcome outcome, String judgement) {
			String[] names = { "success", "warnings", "failure", "skipped", "exception", "retry", "cancelled" };
			Instant at = NOW.minus(Duration.ofHours(hoursAgo));
			this.builds.add(new BuildFacts(new GateReport.LastBuild(number, results, names[results],
					"http://lab/#/builders/1/builds/" + number, at, this.revision, (results == 2) ? "test" : null), worker,
					outcome, judgement));
			if (this.finished == null) {
				this.finished = at;
			}
			return this;
		}

		B finished(int hoursAgo) {
			this.finished = NOW.minus(Duration.ofHours(hoursAgo));
			return this;
		}

		B worker(String name, WorkerState state, boolean connected) {
			this.defaultWorkers = false;
			this.workers.add(new WorkerFacts(name, state, connected));
			return this;
		}

		B workerElsewhere(String name, String master) {
			this.defaultWorkers = false;
			this.workers.add(new WorkerFacts(name, WorkerState.HEALTHY, false, List.of(master)));
			return this;
		}

		B noWorkers() {
			this.defaultWorkers = false;
			return this;
		}

		B unknown() {
			this.known = false;
			this.defaultWorkers = false;
			return this;
		}

		StableBuilder build() {
			List<WorkerFacts> serving = new ArrayList<>(this.workers);
			if (this.defaultWorkers) {
				serving.add(new WorkerFacts("alice-debian", WorkerState.HEALTHY, true));
				serving.add(new WorkerFacts("grace-debian", WorkerState.HEALTHY, true));
				serving.add(new WorkerFacts("bob-freebsd", WorkerState.FLAKY_HOST, true));
			}
			if (!this.known) {
				return new StableBuilder(this.name, "configuration", false, null, List.of(), List.of(), List.of(), null);
			}
			return new StableBuilder(this.name, "tag", true, this.branch, this.tags, serving, this.builds,
					this.finished);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
