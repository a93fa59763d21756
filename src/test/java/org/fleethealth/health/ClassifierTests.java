package org.fleethealth.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.fleethealth.fleet.MasterInterruption;
import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.health.Facts.BuilderFacts;
import org.fleethealth.health.Facts.MasterFacts;
import org.fleethealth.health.Facts.WorkerFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classification, table-driven as {@code GateRules} is: one row per rule and precedence case. Host or build
 * on real fleet shapes: builders shared by pools of workers, platform failures, branches, master restarts.
 */
class ClassifierTests {

	static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

	// Builders: the worker's own (one worker each, as in CPython), peers of the same classes, and pools.
	static final long GCC = 1;

	static final long CLANG = 2;

	static final long GCC_PEER = 3;

	static final long GCC_PEER2 = 4;

	static final long POOL_GCC = 5;

	static final long POOL_CLANG = 6;

	static final long OTHER_PLATFORM = 7;

	static final long POOL_LLD = 8;

	static final String W = "carol-arm64";

	static final long W_ID = 10;

	static final long PEER_ID = 11;

	static final long PEER2_ID = 12;

	static final long MATE1 = 21;

	static final long MATE2 = 22;

	private final Classifier classifier = new Classifier(ClassificationProperties.defaults());

	static Stream<Arguments> table() {
		return Stream.of(
				// name, scenario, expected state, expected evidence fragment, deciding rule (null: none)
				row("no builds at all: healthy", new Scenario(), WorkerState.HEALTHY,
						"no finished builds in the window", null),
				row("all green: healthy", new Scenario().builds(GCC, "s s s s s s"), WorkerState.HEALTHY,
						"6 builds in the window: 6 succeeded", null),
				row("master silent for longer than stale-after: unknown",
						new Scenario().builds(GCC, "s s s").lastAnswer(NOW.minus(Duration.ofMinutes(11))),
						WorkerState.UNKNOWN, "has not answered since", Rule.MASTER_SILENT),
				row("master never answered: unknown", new Scenario().lastAnswer(null).connected(false),
						WorkerState.UNKNOWN, "has not answered yet", Rule.MASTER_SILENT),
				row("stale master wins over offline",
						new Scenario().connected(false)
							.disconnectedAt(NOW.minus(Duration.ofDays(3)))
							.lastAnswer(NOW.minus(Duration.ofHours(2))),
						WorkerState.UNKNOWN, "has not answered since", Rule.MASTER_SILENT),
				row("never connected: offline at once", new Scenario().connected(false).everConnected(false),
						WorkerState.OFFLINE, "has never connected", Rule.NEVER_CONNECTED),
				row("disconnected for 2h: offline",
						new Scenario().connected(false).disconnectedAt(NOW.minus(Duration.ofHours(2))),
						WorkerState.OFFLINE, "not connected since 2026-11-27T10:00:00Z (2h)", Rule.NOT_CONNECTED),
				row("disconnected for 20m: not yet offline",
						new Scenario().connected(false).disconnectedAt(NOW.minus(Duration.ofMinutes(20))).builds(GCC, "s s"),
						WorkerState.HEALTHY, "disconnected since", null),
				row("already down when first seen: last build finished tells since when",
						new Scenario().connected(false)
							.lastBuildFinished(NOW.minus(Duration.ofDays(20)))
							.firstSeenAt(NOW.minus(Duration.ofMinutes(2))),
						WorkerState.OFFLINE, "(20d)", Rule.NOT_CONNECTED),
				row("offline wins over flaky",
						new Scenario().builds(GCC, "x x x s s").connected(false).disconnectedAt(NOW.minus(Duration.ofDays(1))),
						WorkerState.OFFLINE, "not connected since", Rule.NOT_CONNECTED),
				row("exceptions and retries: flaky-host", new Scenario().builds(GCC, "s x s r s s s"),
						WorkerState.FLAKY_HOST, "2 of 7 builds in the last 7d were host failures (0.29 >= 0.20)",
						Rule.HOST_FAILURE_RATIO),
				row("failures in an infrastructure step: flaky-host",
						new Scenario().builds(GCC, "s f:git s f:worker_preparation s s"), WorkerState.FLAKY_HOST,
						"1 build failed in infrastructure step 'git'", Rule.HOST_FAILURE_RATIO),
				row("too few builds for the ratio: healthy", new Scenario().builds(GCC, "x s s"), WorkerState.HEALTHY,
						"1 host failure", null),
				row("too few builds, all host failures: healthy, and it says why",
						new Scenario().builds(GCC, "x x x x"), WorkerState.HEALTHY,
						"too few builds to judge its host by its failures yet: 4 of the 5 (min-builds) it takes, 4 of"
								+ " them host failures",
						null),
				row("host failures below the ratio: healthy", new Scenario().builds(GCC, "s s s s s x s s s s s s"),
						WorkerState.HEALTHY, "12 builds in the window: 11 succeeded, 1 host failure", null),
				row("intermittent: passes on class peers, alternates here: flaky-host",
						new Scenario().builds(GCC, "s f:test s f:test s f:test").peersPass(GCC_PEER, PEER_ID),
						WorkerState.FLAKY_HOST,
						"failed intermittently, e.g. in 'test' on revision r2 that passed on 1 peer (gcc, x86-64)",
						Rule.HOST_FAILURE_RATIO),
				row("a failure that passed on peers but never flips stays the build's (one worker per builder)",
						new Scenario().builds(GCC, "s s f:test f:test f:test").peersPass(GCC_PEER, PEER_ID),
						WorkerState.FAILING_BUILD, "the same revisions passed on 1 peer", Rule.FAILING_STREAK),
				// A new user's trial: a worker-local test failure fixed, then three commits that broke the code everywhere.
				// The code breaks' failures are no flips: the failures before the fix were never intermittent.
				row("a streak that was fixed, then code breaks: no alternating, so nobody's host",
						new Scenario().builds(GCC, "f:test f:test f:test f:test s")
							.peersPass(GCC_PEER, PEER_ID)
							.revisionFailsEverywhere("r6")
							.revisionFailsEverywhere("r7")
							.revisionFailsEverywhere("r8"),
						WorkerState.HEALTHY, "3 code breaks", null),
				row("connection flapping: flaky-host", new Scenario().builds(GCC, "s s").disconnects(4),
						WorkerState.FLAKY_HOST, "disconnected 4 times in the last 7d (connection flapping)",
						Rule.CONNECTION_FLAPPING),
				row("same step failing 3 times in a row: failing-build",
						new Scenario().builds(GCC, "s s f:test f:test f:test").peersPass(GCC_PEER, PEER_ID),
						WorkerState.FAILING_BUILD, "'gcc carol-arm64' failed its last 3 builds in step 'test' since",
						Rule.FAILING_STREAK),
				row("a builder that left the configuration keeps no one failing-build for its streak",
						new Scenario().builds(CLANG, "s s f:test f:test f:test").retired(CLANG).builds(GCC, "s s"),
						WorkerState.HEALTHY, "7 builds in the window: 4 succeeded, 3 failed", null),
				row("a failure whose steps are not read yet neither starts nor breaks a streak",
						new Scenario().builds(GCC, "s s f:test f:test f:test").failureWithStepsUnread(),
						WorkerState.FAILING_BUILD, "failed its last 3 builds in step 'test'", Rule.FAILING_STREAK),
				row("failures in different steps are no streak", new Scenario().builds(GCC, "s s f:compile f:test f:test"),
						WorkerState.HEALTHY, "3 failed", null),
				row("a success breaks the streak", new Scenario().builds(GCC, "f:test f:test s f:test f:test"),
						WorkerState.HEALTHY, "1 succeeded", null),
				// The other builders passed r1 and r2 too: a builder failing the revisions this one passed is failing
				// already, and no witness of a code break (buildersFailingAlreadyAreNoWitnessesOfACodeBreak).
				row("code break: failing on the other builders that built it counts against nobody",
						new Scenario().builds(GCC, "s s")
							.peersPass(GCC_PEER, PEER_ID)
							.peersPass(GCC_PEER2, PEER2_ID)
							.builds(GCC, "f:test f:test f:test")
							.peersFail(GCC_PEER, PEER_ID)
							.peersFail(GCC_PEER2, PEER2_ID),
						WorkerState.HEALTHY, "3 code breaks", null),
				row("code break across classes: gcc and clang builders all failed it",
						new Scenario().builds(GCC, "s s")
							.peersPass(CLANG, PEER_ID)
							.peersPass(OTHER_PLATFORM, PEER2_ID)
							.builds(GCC, "f:test f:test f:test")
							.peersFail(CLANG, PEER_ID)
							.peersFail(OTHER_PLATFORM, PEER2_ID),
						WorkerState.HEALTHY, "3 code breaks", null),
				row("a code break starts no streak and does not break one",
						new Scenario().builds(GCC, "s f:test f:test")
							.revisionFailsEverywhere("r4")
							.builds(GCC, "f:test f:test")
							.peersPass(GCC_PEER, PEER_ID),
						WorkerState.FAILING_BUILD, "failed its last 4 builds in step 'test'", Rule.FAILING_STREAK),
				row("flaky wins over failing-build", new Scenario().builds(GCC, "x s f:test f:test f:test r"),
						WorkerState.FLAKY_HOST, "ended in exception", Rule.HOST_FAILURE_RATIO),
				row("unknown result codes are ignored", new Scenario().builds(GCC, "s 9 s"), WorkerState.HEALTHY,
						"2 builds in the window: 2 succeeded", null),
				row("skipped and cancelled builds say nothing", new Scenario().builds(GCC, "s c k s"),
						WorkerState.HEALTHY, "2 builds in the window: 2 succeeded", null),

				// Shared builders: pools of workers (LLVM).
				row("a worker failing a shared builder that passes on its pool mates: flaky-host, even never passing",
						new Scenario().pool(POOL_GCC, "W:f:test M1:s M2:s W:f:test M1:s M2:s W:f:test M1:s M2:s"),
						WorkerState.FLAKY_HOST,
						"'pool gcc' failed 3 of 3 builds on this worker in the last 7d while its other workers"
								+ " (mate-21, mate-22) failed 0 of 6: the host, not the build",
						Rule.POOL_CONCENTRATION),
				row("the concentration names a revision and the workers that passed around it",
						new Scenario().pool(POOL_GCC, "W:f:test M1:s M2:s W:f:test M1:s M2:s W:f:test M1:s M2:s"),
						WorkerState.FLAKY_HOST, "e.g. 'pool gcc' #1 on p5-1, while the builds around it passed on mate-21",
						Rule.POOL_CONCENTRATION),
				row("the same revision passing on a pool mate is the comparison where it exists",
						new Scenario().pool(POOL_GCC, "W:f:test:rA M1:s:rA W:f:test:rB M1:s:rB W:f:test:rC M1:s:rC M1:s M1:s"),
						WorkerState.FLAKY_HOST, "'pool gcc' #1 on rA passed on mate-21", Rule.POOL_CONCENTRATION),
				row("failures spread evenly over the pool are the build's (a flaky test), not a host's",
						new Scenario().pool(POOL_GCC, "W:f:test M1:s M2:f:test W:s M1:f:test M2:s W:s M1:s M2:f:test W:f:test"),
						WorkerState.HEALTHY, "2 failed", null),
				row("two workers of one platform failing its builders while other platforms pass: failing-build",
						new Scenario().platformFailure(), WorkerState.FAILING_BUILD,
						"'pool gcc' failed its last 6 builds in step 'test' since", Rule.FAILING_STREAK),
				row("a platform failure is no code break even though its builds of a revision all failed",
						new Scenario().platformFailure(), WorkerState.FAILING_BUILD, "on carol-arm64, mate-21",
						Rule.FAILING_STREAK),
				row("a builder's streak makes every worker serving it failing-build, even one whose own builds passed",
						new Scenario().pool(POOL_GCC, "W:s M1:f:test M2:f:test M1:f:test"), WorkerState.FAILING_BUILD,
						"'pool gcc' failed its last 3 builds in step 'test'", Rule.FAILING_STREAK),
				row("one step failing on most shared builders where mates pass: flaky-host (a full disk)",
						new Scenario().pool(POOL_GCC, "W:f:test M1:s M1:s W:f:test M1:s M1:s")
							.pool(POOL_CLANG, "W:f:test M2:s M2:s W:f:test M2:s M2:s"),
						WorkerState.FLAKY_HOST, "failed step 'test' on 2 of its 2 shared builders ('pool gcc', 'pool clang')",
						Rule.SAME_STEP_ACROSS_BUILDERS),
				row("one step failing on a minority of shared builders is not enough",
						new Scenario().pool(POOL_GCC, "W:f:test M1:s M1:s W:f:test M1:s M1:s")
							.pool(POOL_CLANG, "W:s M2:s M2:s W:s M2:s M2:s")
							.pool(POOL_LLD, "W:s M2:s M2:s W:s M2:s M2:s"),
						WorkerState.HEALTHY, "2 failed", null),

				// Branches (CPython): a branch is no build class, and revisions compare within a branch.
				row("peers of another branch are no peers",
						new Scenario().branch(GCC, "3.14").branch(GCC_PEER, "3.x")
							.builds(GCC, "s f:test s f:test s f:test")
							.peersPass(GCC_PEER, PEER_ID),
						WorkerState.HEALTHY, "3 failed", null),
				row("failures of another branch make no code break",
						new Scenario().branch(GCC, "3.14").branch(GCC_PEER, "3.x").branch(GCC_PEER2, "3.x")
							.builds(GCC, "s s f:test f:test f:test")
							.peersFail(GCC_PEER, PEER_ID)
							.peersFail(GCC_PEER2, PEER2_ID),
						WorkerState.FAILING_BUILD, "failed its last 3 builds in step 'test'", Rule.FAILING_STREAK),

				// Master restarts and outages.
				row("a retry ended by a master restart counts against nobody (not 1 of 5 host failures)",
						new Scenario().builds(GCC, "s s s s r").restartDuringBuild(5), WorkerState.HEALTHY,
						"1 build ended by the master or an outage counts against nobody", null),
				row("a retry on this worker alone (it lost its connection) still counts",
						new Scenario().builds(GCC, "s s s s r"), WorkerState.FLAKY_HOST,
						"1 of 5 builds in the last 7d were host failures (0.20 >= 0.20)", Rule.HOST_FAILURE_RATIO),
				row("a retry at a restart does not break a real failing streak",
						new Scenario().builds(GCC, "s f:test f:test r f:test").restartDuringBuild(4), WorkerState.FAILING_BUILD,
						"failed its last 3 builds in step 'test'", Rule.FAILING_STREAK),
				row("Buildbot 3.7's 'cancelled (Master Shutdown)' is the master's",
						new Scenario().builds(GCC, "s s s s").masterShutdownBuild(), WorkerState.HEALTHY,
						"its master shut down ('cancelled (Master Shutdown)')", null),
				row("retries of several workers ending together are the master's (a crash between two polls)",
						new Scenario().builds(GCC, "s s s s r").peerRetryWith(5), WorkerState.HEALTHY,
						"builds of 2 workers ended in retry, exception or cancel within 10 s of it", null),
				row("disconnects during restarts and outages do not count toward flapping",
						new Scenario().builds(GCC, "s s").restartDisconnects(3), WorkerState.HEALTHY,
						"2 builds in the window: 2 succeeded", null),
				row("a mass disconnect (most workers at one poll) is the master's",
						new Scenario().builds(GCC, "s s").massDisconnects(3, 4, 5), WorkerState.HEALTHY,
						"2 builds in the window", null),
				row("a few workers dropping together is no mass disconnect",
						new Scenario().builds(GCC, "s s").massDisconnects(3, 2, 10), WorkerState.FLAKY_HOST,
						"disconnected 3 times", Rule.CONNECTION_FLAPPING),
				row("own disconnects count, the master's are said apart",
						new Scenario().builds(GCC, "s s").disconnects(3).restartDisconnects(2), WorkerState.FLAKY_HOST,
						"disconnected 3 times in the last 7d (connection flapping); 2 more disconnects came with master"
								+ " restarts or outages and do not count",
						Rule.CONNECTION_FLAPPING),
				row("checkout failing on most workers within minutes is an outage, not the hosts'",
						new Scenario().builds(GCC, "s s s s f:git").checkoutOutageWith(5), WorkerState.HEALTHY,
						"'git' failed on 3 of the 3 workers that finished builds within 10m", null),

				// Neither simply up nor down.
				row("paused in Buildbot: paused, since when and why",
						new Scenario().builds(GCC, "s s").paused(Duration.ofHours(3), "disk replacement"),
						WorkerState.PAUSED, "paused in Buildbot since 2026-11-27T09:00:00Z (3h): disk replacement",
						Rule.PAUSED),
				row("a paused worker is never offline for it",
						new Scenario().connected(false).disconnectedAt(NOW.minus(Duration.ofDays(2)))
							.paused(Duration.ofDays(3), null),
						WorkerState.PAUSED, "Buildbot gives no reason", Rule.PAUSED),
				row("a paused worker is never flaky for it", new Scenario().builds(GCC, "x x x s s").paused(Duration.ofHours(1), null),
						WorkerState.PAUSED, "paused in Buildbot", Rule.PAUSED),
				row("planned downtime: a worker that went away is paused until the window ends",
						new Scenario().connected(false).disconnectedAt(NOW.minus(Duration.ofHours(2)))
							.downtime(NOW.plus(Duration.ofHours(1))),
						WorkerState.PAUSED, "planned downtime until 2026-11-27T13:00:00Z (weekly maintenance)",
						Rule.PLANNED_DOWNTIME),
				row("planned downtime: an idle connected worker is paused too",
						new Scenario().builds(GCC, "s").downtime(NOW.plus(Duration.ofHours(1))), WorkerState.PAUSED,
						"idle, as planned", Rule.PLANNED_DOWNTIME),
				row("planned downtime: a worker at work is not paused",
						new Scenario().builds(GCC, "s").running(Duration.ofMinutes(5)).downtime(NOW.plus(Duration.ofHours(1))),
						WorkerState.HEALTHY, "1 build in the window", null),
				row("gone when first seen, a build finished since: its absence counts from that, no disconnect",
						new Scenario().connected(false).lastBuildFinished(NOW.minus(Duration.ofMinutes(20))),
						WorkerState.HEALTHY, "not connected; its absence counts from 2026-11-27T11:40:00Z (20m, less than 1h)",
						null),
				row("the offline clock does not run inside a downtime window",
						new Scenario().connected(false).disconnectedAt(NOW.minus(Duration.ofDays(3)))
							.downtimeEnded(NOW.minus(Duration.ofMinutes(30))),
						WorkerState.HEALTHY, "not connected; its absence counts from 2026-11-27T11:30:00Z (30m, less than 1h)", null),
				row("a worker connected to another watched master is not offline here",
						new Scenario().connected(false).disconnectedAt(NOW.minus(Duration.ofDays(3)))
							.connectedElsewhere("staging"),
						WorkerState.HEALTHY, "connected to master 'staging' under the same name", null),
				row("never connected here but seen on another watched master: judged from that sign, not at once",
						new Scenario().connected(false).everConnected(false).seenElsewhere(Duration.ofMinutes(20)),
						WorkerState.HEALTHY, "not connected; its absence counts from 2026-11-27T11:40:00Z (20m, less than 1h)", null),
				row("and offline once that sign is offline-after old",
						new Scenario().connected(false).everConnected(false).seenElsewhere(Duration.ofHours(2)),
						WorkerState.OFFLINE, "not connected since 2026-11-27T10:00:00Z (2h)", Rule.NOT_CONNECTED),
				row("dropped by an outage of its master that lasts: never offline, however long",
						new Scenario().connected(false).disconnectedAt(NOW.minus(Duration.ofHours(2)))
							.outage(Duration.ofHours(2).plusSeconds(20), null).builds(GCC, "s s"),
						WorkerState.HEALTHY, "with an outage of the master (not answering from 2026-11-27T09:59:40Z),"
								+ " which lasts", null),
				row("dropped by an outage that ended: its absence counts from the end",
						new Scenario().connected(false).disconnectedAt(NOW.minus(Duration.ofHours(3)))
							.outage(Duration.ofHours(3).plusSeconds(20), Duration.ofMinutes(40)).builds(GCC, "s s"),
						WorkerState.HEALTHY, "not connected; its absence counts from 2026-11-27T11:20:00Z (40m, less than 1h)", null),
				row("and offline offline-after past the end",
						new Scenario().connected(false).disconnectedAt(NOW.minus(Duration.ofHours(5)))
							.outage(Duration.ofHours(5).plusSeconds(20), Duration.ofHours(2)),
						WorkerState.OFFLINE, "not connected since 2026-11-27T10:00:00Z (2h)", Rule.NOT_CONNECTED),
				row("a disconnect before the outage is its own",
						new Scenario().connected(false).disconnectedAt(NOW.minus(Duration.ofHours(3)))
							.outage(Duration.ofHours(2), null),
						WorkerState.OFFLINE, "not connected since 2026-11-27T09:00:00Z (3h)", Rule.NOT_CONNECTED),
				row("nor when it never connected here",
						new Scenario().connected(false).everConnected(false).connectedElsewhere("staging"),
						WorkerState.HEALTHY, "connected to master 'staging'", null),
				row("a latent worker between builds stays healthy",
						new Scenario().connected(false).disconnectedAt(NOW.minus(Duration.ofDays(3))).latent(0, null),
						WorkerState.HEALTHY, "latent worker: disconnected between builds", null),
				row("a latent worker whose work waited offline-after and did not start is offline",
						new Scenario().connected(false).disconnectedAt(NOW.minus(Duration.ofDays(3)))
							.latent(2, Duration.ofHours(3)),
						WorkerState.OFFLINE,
						"latent worker, not started: 2 build requests for its builders have waited since 2026-11-27T09:00:00Z",
						Rule.LATENT_NOT_STARTED),
				row("a latent worker with work waiting for less than offline-after is fine",
						new Scenario().connected(false).disconnectedAt(NOW.minus(Duration.ofDays(3)))
							.latent(2, Duration.ofMinutes(20)),
						WorkerState.HEALTHY, "2 build requests waiting since", null),
				row("connected but starting none of the waiting work: flaky-host (unresponsive)",
						new Scenario().builds(GCC, "s s").waiting(3, Duration.ofHours(2)), WorkerState.FLAKY_HOST,
						"connected but started none of 3 waiting build requests for its builders since"
								+ " 2026-11-27T10:00:00Z (2h)",
						Rule.UNRESPONSIVE),
				row("a worker at work is not unresponsive",
						new Scenario().builds(GCC, "s s").running(Duration.ofMinutes(10)).waiting(3, Duration.ofHours(2)),
						WorkerState.HEALTHY, "2 builds in the window", null),
				row("a stuck build is evidence, and once a host failure",
						new Scenario().builds(GCC, "s s s s").running(Duration.ofDays(3).plusHours(4)),
						WorkerState.FLAKY_HOST, "running for 3d 4h (since 2026-11-24T08:00:00Z): stuck",
						Rule.HOST_FAILURE_RATIO),
				row("its master process is inactive: unknown, not healthy",
						new Scenario().builds(GCC, "s s").masterInactive(), WorkerState.UNKNOWN,
						"its Buildbot master 'm2' (id 2) is inactive", Rule.MASTER_INACTIVE),
				row("listed as disconnected while its running build goes on: not offline",
						new Scenario().connected(false).disconnectedAt(NOW.minus(Duration.ofHours(3)))
							.activity(Duration.ofMinutes(10)),
						WorkerState.HEALTHY, "but its running build finished a step at 2026-11-27T11:50:00Z", null),

				// Checkout steps in their many spellings.
				row("Buildbot's repeated step git_1 is infrastructure", new Scenario().builds(GCC, "s f:git_1 s s s"),
						WorkerState.FLAKY_HOST, "infrastructure step 'git_1'", Rule.HOST_FAILURE_RATIO),
				row("git-<codebase> is infrastructure", new Scenario().builds(GCC, "s f:git-cpython s s s"),
						WorkerState.FLAKY_HOST, "infrastructure step 'git-cpython'", Rule.HOST_FAILURE_RATIO),
				row("Git is infrastructure", new Scenario().builds(GCC, "s f:Git s s s"), WorkerState.FLAKY_HOST,
						"infrastructure step 'Git'", Rule.HOST_FAILURE_RATIO),
				row("LLVM's checkout-<hint> is infrastructure", new Scenario().builds(GCC, "s f:checkout-llvm s s s"),
						WorkerState.FLAKY_HOST, "infrastructure step 'checkout-llvm'", Rule.HOST_FAILURE_RATIO),
				row("LLVM's '... : Checkout' is infrastructure",
						new Scenario().builds(GCC, "s f:llvm-project_:_Checkout s s s"), WorkerState.FLAKY_HOST,
						"infrastructure step 'llvm-project : Checkout'", Rule.HOST_FAILURE_RATIO),
				row("a test step named like a codebase is not infrastructure",
						new Scenario().builds(GCC, "s f:test-git s s s"), WorkerState.HEALTHY, "1 failed", null));
	}

	private static Arguments row(String name, Scenario scenario, WorkerState state, String evidence, Rule rule) {
		return Arguments.of(name, scenario, state, evidence, rule);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("table")
	void classifies(String name, Scenario scenario, WorkerState expected, String evidence, Rule rule) {
		Verdict verdict = this.classifier.classify(scenario.facts(), NOW).get(W);
		assertThat(verdict.state()).as(String.join("\n", verdict.evidence())).isEqualTo(expected);
		assertThat(verdict.evidence()).anySatisfy((line) -> assertThat(line).contains(evidence));
		if (rule != null) {
			assertThat(verdict.rules()).first().isEqualTo(rule);
			assertThat(verdict.evidence().get(0)).as("the deciding rule's evidence comes first")
				.doesNotStartWith("disconnected since");
		}
		else {
			assertThat(verdict.rules()).doesNotContain(Rule.values()[0], Rule.FAILING_STREAK, Rule.POOL_CONCENTRATION,
					Rule.HOST_FAILURE_RATIO, Rule.CONNECTION_FLAPPING, Rule.SAME_STEP_ACROSS_BUILDERS);
		}
	}

	@Test
	void aPlatformFailureIsFailingBuildOnBothWorkersAndNotCountedAsCodeBreaks() {
		Map<String, Verdict> verdicts = this.classifier.classify(new Scenario().platformFailure().facts(), NOW);
		assertThat(verdicts.get(W).state()).isEqualTo(WorkerState.FAILING_BUILD);
		assertThat(verdicts.get("mate-21").state()).isEqualTo(WorkerState.FAILING_BUILD);
		assertThat(verdicts.get(W).counts().codeBreak()).isZero();
		assertThat(verdicts.get(W).counts().failure()).isEqualTo(3);
		assertThat(verdicts.get("peer-11").state()).isEqualTo(WorkerState.HEALTHY);
	}

	@Test
	void aBrokenHostInAPoolLeavesItsMatesHealthy() {
		Map<String, Verdict> verdicts = this.classifier.classify(
				new Scenario().pool(POOL_GCC, "W:f:test M1:s M2:s W:f:test M1:s M2:s W:f:test M1:s M2:s").facts(), NOW);
		assertThat(verdicts.get("mate-21").state()).isEqualTo(WorkerState.HEALTHY);
		assertThat(verdicts.get("mate-22").state()).isEqualTo(WorkerState.HEALTHY);
		assertThat(verdicts.get(W).counts().hostFailure()).isEqualTo(3);
	}

	@Test
	void aCodeBreakFixedByTheNextCommitMovesNobody() {
		Scenario scenario = new Scenario().builds(GCC, "s s s").peersPass(GCC_PEER, PEER_ID);
		scenario.revisionFailsEverywhere("r4").builds(GCC, "s").peersPass(GCC_PEER, PEER_ID);
		Map<String, Verdict> verdicts = this.classifier.classify(scenario.facts(), NOW);
		verdicts.values().forEach((v) -> assertThat(v.state()).isEqualTo(WorkerState.HEALTHY));
		assertThat(verdicts.get(W).counts().codeBreak()).isEqualTo(1);
	}

	@Test
	void buildersFailingAlreadyAreNoWitnessesOfACodeBreak() {
		// Three builders of other workers fail 'test' on every revision (a platform failure each); the worker passed
		// r1 to r3 on its builder, then fails 'test' itself from r4, where a fourth builder passes. It was a new
		// user's finding that its failures read as code breaks ("failed on 3 of 4 builders"), and the three platform
		// failures with them.
		Scenario scenario = new Scenario().builds(GCC, "s s s f:test f:test f:test")
			.peersPass(GCC_PEER, PEER_ID)
			.peersFail(GCC_PEER2, PEER2_ID)
			.peersFail(OTHER_PLATFORM, PEER_ID)
			.peersFail(POOL_CLANG, MATE1);
		Map<String, Verdict> verdicts = this.classifier.classify(scenario.facts(), NOW);
		assertThat(verdicts.get(W).counts().codeBreak()).isZero();
		assertThat(verdicts.get(W).counts().failure()).isEqualTo(3);
		assertThat(verdicts.get("peer-" + PEER2_ID).counts().codeBreak()).isZero();
		assertThat(verdicts.get("peer-" + MATE1).counts().codeBreak()).isZero();
	}

	@Test
	void whereOnlyBuildersFailingAlreadyBuiltTheRevisionTheyAreTheEvidenceThereIs() {
		// The lab's classic layout: the worker's only peers fail 'test' on every revision; a change breaks the tests
		// everywhere. Nobody else built it, passing or failing afresh: the old count stands.
		Scenario scenario = new Scenario().builds(GCC, "s s s f:test")
			.peersFail(GCC_PEER2, PEER2_ID)
			.peersFail(OTHER_PLATFORM, PEER_ID);
		assertThat(this.classifier.classify(scenario.facts(), NOW).get(W).counts().codeBreak()).isEqualTo(1);
	}

	@Test
	void aCodeBreakOverSeveralRevisionsStaysTheCodes() {
		// Every builder breaks at r4 and stays broken at r5: the builders failing at r5 started failing after the
		// worker's builder last passed, so they still witness it.
		Scenario scenario = new Scenario().builds(GCC, "s s s").peersPass(GCC_PEER, PEER_ID).peersPass(GCC_PEER2,
				PEER2_ID).peersPass(OTHER_PLATFORM, PEER_ID);
		scenario.revisionFailsEverywhere("r4").revisionFailsEverywhere("r5");
		Map<String, Verdict> verdicts = this.classifier.classify(scenario.facts(), NOW);
		assertThat(verdicts.get(W).counts().codeBreak()).isEqualTo(2);
		verdicts.values().forEach((v) -> assertThat(v.state()).isEqualTo(WorkerState.HEALTHY));
	}

	@Test
	void countsOutcomesInTheWindow() {
		Verdict verdict = this.classifier.classify(new Scenario().builds(GCC, "s f:git x s f:compile").facts(), NOW)
			.get(W);
		assertThat(verdict.counts()).isEqualTo(new BuildCounts(2, 1, 2, 0));
		assertThat(verdict.counts().hostFailureRatio()).isEqualTo(0.4);
	}

	@Test
	void buildsOutsideTheWindowDoNotCount() {
		Scenario scenario = new Scenario().startedAgo(Duration.ofDays(8)).builds(GCC, "x x x x x");
		Verdict verdict = this.classifier.classify(scenario.facts(), NOW).get(W);
		assertThat(verdict.state()).isEqualTo(WorkerState.HEALTHY);
		assertThat(verdict.counts().total()).isZero();
	}

	@Test
	void keepsSinceWhileTheStateHolds() {
		Instant earlier = NOW.minus(Duration.ofHours(5));
		Verdict verdict = this.classifier
			.classify(new Scenario().builds(GCC, "s x r x s").previous(WorkerState.FLAKY_HOST, earlier).facts(), NOW)
			.get(W);
		assertThat(verdict.state()).isEqualTo(WorkerState.FLAKY_HOST);
		assertThat(verdict.since()).isEqualTo(earlier);
	}

	@Test
	void aMasterOutageDoesNotResetSince() {
		Instant episode = NOW.minus(Duration.ofDays(3));
		Verdict verdict = this.classifier
			.classify(new Scenario().builds(GCC, "s x r x s")
				.previous(WorkerState.UNKNOWN, NOW.minus(Duration.ofMinutes(30)))
				.held(WorkerState.FLAKY_HOST, episode)
				.facts(), NOW)
			.get(W);
		assertThat(verdict.state()).isEqualTo(WorkerState.FLAKY_HOST);
		assertThat(verdict.since()).as("the episode's real start").isEqualTo(episode);
	}

	@Test
	void newStateStartsNow() {
		Verdict verdict = this.classifier
			.classify(new Scenario().builds(GCC, "s x r x s").previous(WorkerState.HEALTHY, NOW.minus(Duration.ofDays(1)))
				.facts(), NOW)
			.get(W);
		assertThat(verdict.since()).isEqualTo(NOW);
	}

	@Test
	void failingBuildIsSinceItsStreakBegan() {
		Verdict verdict = this.classifier
			.classify(new Scenario().builds(GCC, "s s f:test f:test f:test")
				.peersPass(GCC_PEER, PEER_ID)
				.previous(WorkerState.HEALTHY, NOW.minus(Duration.ofDays(1)))
				.facts(), NOW)
			.get(W);
		assertThat(verdict.state()).isEqualTo(WorkerState.FAILING_BUILD);
		// Not since fleet-health looked: since the streak its evidence names began.
		assertThat(verdict.since()).isBefore(NOW);
		assertThat(verdict.evidence().get(0)).contains("failed its last 3 builds in step 'test' since "
				+ org.fleethealth.system.Durations.at(verdict.since()) + " (");
	}

	@Test
	void offlineIsSinceTheDisconnect() {
		Instant gone = NOW.minus(Duration.ofDays(3));
		Verdict verdict = this.classifier
			.classify(new Scenario().connected(false).disconnectedAt(gone).previous(WorkerState.UNKNOWN, NOW).facts(), NOW)
			.get(W);
		assertThat(verdict.state()).isEqualTo(WorkerState.OFFLINE);
		assertThat(verdict.since()).isEqualTo(gone);
	}

	@Test
	void flagsVersionDriftAsATypedRule() {
		Scenario scenario = new Scenario().builds(GCC, "s s").version("2.8.4").peerVersions("3.7.0", "3.7.0");
		Verdict verdict = this.classifier.classify(scenario.facts(), NOW).get(W);
		assertThat(verdict.evidence()).contains("runs buildbot-worker 2.8.4; most of the fleet runs 3.7.0 (version drift: upgrade)");
		assertThat(verdict.rules()).containsExactly(Rule.VERSION_DRIFT);
	}

	@Test
	void versionsThatSayNothingAboutAgeAreNeverDrift() {
		for (String unknown : List.of("2025.07.13", "0.0.0", "unknown", "")) {
			Scenario scenario = new Scenario().builds(GCC, "s s").version(unknown).peerVersions("3.7.0", "3.7.0");
			Verdict verdict = this.classifier.classify(scenario.facts(), NOW).get(W);
			assertThat(verdict.rules()).as(unknown).doesNotContain(Rule.VERSION_DRIFT);
		}
		// The fleet's common version is taken among known versions only.
		Scenario dated = new Scenario().builds(GCC, "s s").version("3.7.0").peerVersions("2025.07.13", "2025.07.13");
		assertThat(this.classifier.classify(dated.facts(), NOW).get(W).rules()).doesNotContain(Rule.VERSION_DRIFT);
	}

	@Test
	void peersOfOtherClassesAreNoPeers() {
		// The revision passed only on a clang builder: that says nothing about a gcc failure.
		Verdict verdict = this.classifier
			.classify(new Scenario().builds(GCC, "s f:test s f:test s f:test").peersPass(CLANG, PEER_ID).facts(), NOW)
			.get(W);
		assertThat(verdict.counts().hostFailure()).isZero();
	}

	/**
	 * A small fleet on one master: the worker under test (builders 'gcc' and 'clang' of its own), class peers, and
	 * pools. A build spec is a list of results: s success, f:STEP failure in STEP (an underscore in STEP stands for a
	 * space), x exception, r retry, k skipped, c cancelled, or a number for a raw result code. The n-th build of the
	 * worker on its own builders builds revision rN.
	 */
	static final class Scenario {

		private final Map<Long, String> names = new HashMap<>();

		private final Map<Long, Set<String>> classes = new HashMap<>();

		private final Map<Long, String> branches = new HashMap<>();

		private final Map<Long, Set<Long>> pools = new HashMap<>();

		private final Set<Long> retired = new HashSet<>();

		private final List<BuildFacts> builds = new ArrayList<>();

		private final Map<String, WorkerFacts> others = new LinkedHashMap<>();

		private final List<MasterInterruption> interruptions = new ArrayList<>();

		private final List<Instant> disconnects = new ArrayList<>();

		private long nextBuild = 1;

		private int ownBuilds;

		private Duration startedAgo = Duration.ofHours(30);

		private Instant lastAnswer = NOW.minusSeconds(30);

		private boolean connected = true;

		private boolean everConnected = true;

		private Instant disconnectedAt;

		private Instant firstSeenAt = NOW.minus(Duration.ofDays(30));

		private Instant lastBuildFinished;

		private String version = "3.7.0";

		private WorkerState previousState;

		private Instant previousSince;

		private WorkerState heldState;

		private Instant heldSince;

		private Facts.Presence presence = Facts.Presence.NONE;

		Scenario() {
			builder(GCC, "gcc carol-arm64", Set.of("gcc", "x86-64"), W_ID);
			builder(CLANG, "clang carol-arm64", Set.of("clang"), W_ID);
			builder(GCC_PEER, "gcc alice-debian", Set.of("gcc", "x86-64"), PEER_ID);
			builder(GCC_PEER2, "gcc bob-freebsd", Set.of("gcc"), PEER2_ID);
			builder(POOL_GCC, "pool gcc", Set.of("gcc", "ppc64le"), W_ID, MATE1, MATE2);
			builder(POOL_CLANG, "pool clang", Set.of("clang", "ppc64le"), W_ID, MATE1, MATE2);
			builder(POOL_LLD, "pool lld", Set.of("lld", "ppc64le"), W_ID, MATE1, MATE2);
			builder(OTHER_PLATFORM, "clang x86-64", Set.of("clang", "x86-64"), PEER_ID);
		}

		private void builder(long id, String name, Set<String> tags, Long... workers) {
			this.names.put(id, name);
			this.classes.put(id, tags);
			this.pools.put(id, new HashSet<>(List.of(workers)));
		}

		/** The builder left the master's configuration: nobody is configured on it any more. */
		Scenario retired(long builder) {
			this.retired.add(builder);
			this.pools.put(builder, new HashSet<>());
			return this;
		}

		Scenario branch(long builder, String branch) {
			this.branches.put(builder, branch);
			return this;
		}

		Scenario builds(long builder, String spec) {
			for (String result : spec.split(" ")) {
				this.ownBuilds++;
				this.builds.add(build(builder, W_ID, "r" + this.ownBuilds, result));
			}
			return this;
		}

		/** Every other builder also failed this revision, which the worker fails next on 'gcc'. */
		Scenario revisionFailsEverywhere(String revision) {
			this.ownBuilds++;
			this.builds.add(build(GCC, W_ID, revision, "f:test"));
			this.builds.add(build(GCC_PEER, PEER_ID, revision, "f:test"));
			this.builds.add(build(OTHER_PLATFORM, PEER_ID, revision, "f:test"));
			this.builds.add(build(GCC_PEER2, PEER2_ID, revision, "f:test"));
			worker("peer-" + PEER_ID, PEER_ID);
			worker("peer-" + PEER2_ID, PEER2_ID);
			return this;
		}

		/**
		 * Builds on a shared builder, in order. Each token is WHO:RESULT[:REVISION] with WHO one of W, M1, M2;
		 * without a revision each build builds its own (pN-i).
		 */
		Scenario pool(long builder, String spec) {
			int i = 0;
			for (String token : spec.split(" ")) {
				i++;
				String[] parts = token.split(":");
				long who = switch (parts[0]) {
					case "W" -> W_ID;
					case "M1" -> MATE1;
					case "M2" -> MATE2;
					default -> throw new IllegalArgumentException(parts[0]);
				};
				String result = parts[1];
				String revision = "p" + builder + "-" + i;
				if (parts[1].equals("f")) {
					result = "f:" + parts[2];
					if (parts.length > 3) {
						revision = parts[3];
					}
				}
				else if (parts.length > 2) {
					revision = parts[2];
				}
				if (who != W_ID) {
					worker("mate-" + who, who);
				}
				this.builds.add(build(builder, who, revision, result));
			}
			return this;
		}

		/**
		 * The worker and a pool mate serve 'pool gcc' (ppc64le) and fail 'test' on every revision, which passed on
		 * an x86-64 builder of another worker.
		 */
		Scenario platformFailure() {
			for (int i = 1; i <= 6; i++) {
				long who = (i % 2 == 1) ? W_ID : MATE1;
				this.builds.add(build(POOL_GCC, who, "rev" + i, "f:test"));
				this.builds.add(build(OTHER_PLATFORM, PEER_ID, "rev" + i, "s"));
				this.builds.add(build(GCC_PEER, PEER_ID, "rev" + i, "s"));
			}
			worker("mate-" + MATE1, MATE1);
			worker("peer-" + PEER_ID, PEER_ID);
			return this;
		}

		/** A peer ran every revision the worker ran so far, on the given builder, and passed. */
		Scenario peersPass(long builder, long peer) {
			return peers(builder, peer, "s");
		}

		Scenario peersFail(long builder, long peer) {
			return peers(builder, peer, "f:test");
		}

		private Scenario peers(long builder, long peer, String result) {
			for (int i = 1; i <= this.ownBuilds; i++) {
				String revision = "r" + i;
				boolean built = this.builds.stream()
					.anyMatch((b) -> b.builderId() == builder && b.workerId() == peer && revision.equals(b.revision()));
				if (!built) {
					this.builds.add(build(builder, peer, revision, result));
				}
			}
			worker("peer-" + peer, peer);
			return this;
		}

		private void worker(String name, long id) {
			this.others.putIfAbsent(name, new WorkerFacts(name, id, true, true, null, NOW.minus(Duration.ofDays(30)),
					NOW, null, List.of(), "3.7.0", null, null, null, null));
		}

		Scenario peerVersions(String... versions) {
			for (int i = 0; i < versions.length; i++) {
				this.others.put("v-" + i, new WorkerFacts("v-" + i, 100 + i, true, true, null,
						NOW.minus(Duration.ofDays(30)), NOW, null, List.of(), versions[i], null, null, null, null));
			}
			return this;
		}

		/** The master restarted while the worker's n-th build ran. */
		Scenario restartDuringBuild(int n) {
			BuildFacts b = ownBuild(n);
			this.interruptions.add(new MasterInterruption(MasterInterruption.Kind.RESTART, b.startedAt(),
					b.completeAt().plusSeconds(20), null, null, "restarted"));
			return this;
		}

		/** The worker's newest build failed, and its steps are not read yet. */
		Scenario failureWithStepsUnread() {
			Instant started = start(this.nextBuild);
			this.builds.add(new BuildFacts(this.nextBuild, (int) this.nextBuild, GCC, W_ID, started,
					started.plusSeconds(30), true, 2, "r" + (++this.ownBuilds), null, null, "failed", false));
			this.nextBuild++;
			return this;
		}

		/** The worker's last build was cancelled by Buildbot 3.7 stopping its master. */
		Scenario masterShutdownBuild() {
			Instant started = start(this.nextBuild);
			this.builds.add(new BuildFacts(this.nextBuild, (int) this.nextBuild, GCC, W_ID, started,
					started.plusSeconds(30), true, 6, "r99", null, null, "cancelled (Master Shutdown)"));
			this.nextBuild++;
			this.builds.add(build(GCC, W_ID, "r100", "s"));
			this.builds.add(build(GCC, W_ID, "r101", "s"));
			this.ownBuilds += 3;
			return this;
		}

		/** Another worker's build ended in retry within seconds of the worker's n-th build. */
		Scenario peerRetryWith(int n) {
			BuildFacts own = ownBuild(n);
			this.builds.add(new BuildFacts(this.nextBuild++, 1, GCC_PEER, PEER_ID, own.startedAt(),
					own.completeAt().plusSeconds(3), true, 5, "r" + n, null));
			worker("peer-" + PEER_ID, PEER_ID);
			return this;
		}

		/** Two other workers failed checkout moments after the worker's n-th build, and nobody else built. */
		Scenario checkoutOutageWith(int n) {
			BuildFacts own = ownBuild(n);
			this.builds.add(new BuildFacts(this.nextBuild++, 1, GCC_PEER, PEER_ID, own.startedAt(),
					own.completeAt().plusSeconds(40), true, 2, "r" + n, "git"));
			this.builds.add(new BuildFacts(this.nextBuild++, 1, GCC_PEER2, PEER2_ID, own.startedAt(),
					own.completeAt().plusSeconds(90), true, 2, "r" + n, "git"));
			worker("peer-" + PEER_ID, PEER_ID);
			worker("peer-" + PEER2_ID, PEER2_ID);
			return this;
		}

		/** Disconnects seen at polls right after master restarts. */
		Scenario restartDisconnects(int n) {
			for (int i = 0; i < n; i++) {
				Instant restart = NOW.minus(Duration.ofDays(1 + i));
				this.interruptions.add(new MasterInterruption(MasterInterruption.Kind.RESTART,
						restart.minusSeconds(50), restart, null, null, "restarted"));
				this.disconnects.add(restart.plus(Duration.ofMinutes(2)));
			}
			return this;
		}

		/** The master stopped answering {@code ago}, and answered again {@code endedAgo} (or not yet: null). */
		Scenario outage(Duration ago, Duration endedAgo) {
			this.interruptions.add(new MasterInterruption(MasterInterruption.Kind.UNREACHABLE, NOW.minus(ago),
					(endedAgo != null) ? NOW.minus(endedAgo) : null, null, null, "not answering"));
			return this;
		}

		/** Last seen on another watched master {@code ago}, not connected there now. */
		Scenario seenElsewhere(Duration ago) {
			return presence(new Facts.Presence(false, null, null, List.of(), NOW.minus(ago), null, false, 0, null, null,
					null, null));
		}

		/** Disconnects at polls where {@code affected} of {@code total} connected workers dropped. */
		Scenario massDisconnects(int n, int affected, int total) {
			for (int i = 0; i < n; i++) {
				Instant poll = NOW.minus(Duration.ofHours(3 + i));
				this.interruptions.add(new MasterInterruption(MasterInterruption.Kind.DISCONNECTS,
						poll.minusSeconds(60), poll, affected, total, affected + " of " + total));
				this.disconnects.add(poll);
			}
			return this;
		}

		Scenario disconnects(int n) {
			for (int i = 0; i < n; i++) {
				this.disconnects.add(NOW.minus(Duration.ofHours(10 * (i + 1))).minusSeconds(7));
			}
			return this;
		}

		private BuildFacts ownBuild(int n) {
			return this.builds.stream().filter((b) -> b.workerId() == W_ID).toList().get(n - 1);
		}

		private Instant start(long id) {
			return NOW.minus(this.startedAgo).plusSeconds(id * 600);
		}

		private BuildFacts build(long builder, long worker, String revision, String result) {
			long id = this.nextBuild++;
			Instant started = start(id);
			Integer results;
			String step = null;
			switch (result.charAt(0)) {
				case 's' -> results = 0;
				case 'x' -> {
					results = 4;
					step = "test";
				}
				case 'r' -> results = 5;
				case 'k' -> results = 3;
				case 'c' -> results = 6;
				case 'f' -> {
					results = 2;
					step = result.substring(2).replace('_', ' ');
					step = step.equals("worker preparation") ? "worker_preparation"
							: step.equals("git 1") ? "git_1" : step;
				}
				default -> results = Integer.valueOf(result);
			}
			return new BuildFacts(id, (int) id, builder, worker, started, started.plusSeconds(30), true, results,
					revision, step);
		}

		Scenario startedAgo(Duration ago) {
			this.startedAgo = ago;
			return this;
		}

		Scenario lastAnswer(Instant lastAnswer) {
			this.lastAnswer = lastAnswer;
			return this;
		}

		Scenario connected(boolean connected) {
			this.connected = connected;
			return this;
		}

		Scenario everConnected(boolean everConnected) {
			this.everConnected = everConnected;
			return this;
		}

		Scenario disconnectedAt(Instant at) {
			this.disconnectedAt = at;
			return this;
		}

		Scenario firstSeenAt(Instant at) {
			this.firstSeenAt = at;
			return this;
		}

		Scenario lastBuildFinished(Instant at) {
			this.lastBuildFinished = at;
			return this;
		}

		Scenario version(String version) {
			this.version = version;
			return this;
		}

		Scenario previous(WorkerState state, Instant since) {
			this.previousState = state;
			this.previousSince = since;
			return this;
		}

		Scenario presence(Facts.Presence presence) {
			this.presence = presence;
			return this;
		}

		/** Paused in Buildbot since {@code ago}, with a reason or none. */
		Scenario paused(Duration ago, String reason) {
			return presence(new Facts.Presence(true, NOW.minus(ago), reason, List.of(), null, null, false, 0, null, null,
					null, null));
		}

		/** In a planned downtime until {@code until}. */
		Scenario downtime(Instant until) {
			return presence(new Facts.Presence(false, null, null, List.of(), null, null, false, 0, null,
					new Facts.Downtime(until, "weekly maintenance"), null, null));
		}

		/** Its last planned downtime ended at {@code ended}. */
		Scenario downtimeEnded(Instant ended) {
			return presence(new Facts.Presence(false, null, null, List.of(), null, null, false, 0, null, null, ended,
					null));
		}

		/** Connected to another watched master under the same name. */
		Scenario connectedElsewhere(String master) {
			return presence(new Facts.Presence(false, null, null, List.of(master), NOW, null, false, 0, null, null, null,
					null));
		}

		/** A latent worker; {@code waiting} requests for its builders, the oldest since {@code ago}. */
		Scenario latent(int waiting, Duration ago) {
			return presence(new Facts.Presence(false, null, null, List.of(), null, null, true, waiting,
					(waiting > 0) ? NOW.minus(ago) : null, null, null, null));
		}

		/** {@code waiting} requests for its builders, the oldest since {@code ago}. */
		Scenario waiting(int waiting, Duration ago) {
			return presence(new Facts.Presence(false, null, null, List.of(), null, null, false, waiting, NOW.minus(ago),
					null, null, null));
		}

		/** A step of its running build finished {@code ago}. */
		Scenario activity(Duration ago) {
			return presence(new Facts.Presence(false, null, null, List.of(), null, NOW.minus(ago), false, 0, null, null,
					null, null));
		}

		/** The master process it belongs to is inactive. */
		Scenario masterInactive() {
			return presence(new Facts.Presence(false, null, null, List.of(), null, null, false, 0, null, null, null,
					"its Buildbot master 'm2' (id 2) is inactive"));
		}

		/** A build of it started {@code ago} and is still running. */
		Scenario running(Duration ago) {
			Instant started = NOW.minus(ago);
			this.builds.add(new BuildFacts(this.nextBuild, (int) this.nextBuild, GCC, W_ID, started, null, false, null,
					"r-running", null));
			this.nextBuild++;
			return this;
		}

		Scenario held(WorkerState state, Instant since) {
			this.heldState = state;
			this.heldSince = since;
			return this;
		}

		MasterFacts facts() {
			List<WorkerFacts> workers = new ArrayList<>();
			workers.add(new WorkerFacts(W, W_ID, this.connected, this.everConnected, this.disconnectedAt,
					this.firstSeenAt, this.connected ? NOW : null, this.lastBuildFinished, this.disconnects,
					this.version, this.previousState, this.previousSince, this.heldState, this.heldSince,
					this.presence));
			workers.addAll(this.others.values());
			Map<Long, BuilderFacts> builders = new HashMap<>();
			this.names.forEach((id, name) -> builders.put(id, new BuilderFacts(id, name, this.classes.get(id),
					this.branches.get(id), this.pools.get(id), this.retired.contains(id))));
			return new MasterFacts("lab", this.lastAnswer, "connection refused", workers, builders, this.builds,
					this.interruptions);
		}

		@Override
		public String toString() {
			return "scenario";
		}

	}

}
