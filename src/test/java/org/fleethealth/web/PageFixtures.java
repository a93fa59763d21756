package org.fleethealth.web;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.fleethealth.gate.Cause;
import org.fleethealth.gate.GateReport;
import org.fleethealth.gate.GateVerdict;
import org.fleethealth.gate.StableSetProposal;
import org.fleethealth.health.Outcome;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;

/** A small fleet for the page tests: master "lab" with one worker in each state but unknown. */
final class PageFixtures {

	static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

	private PageFixtures() {
	}

	static WorkerReport worker(String name, WorkerState state, Duration since, Set<String> classes, String evidence) {
		return new WorkerReport("lab", name, state, NOW.minus(since),
				new WorkerReport.OwnerView(Character.toUpperCase(name.charAt(0)) + name.substring(1, name.indexOf('-')),
						name.substring(0, name.indexOf('-')) + "@example.org"),
				NOW.minusSeconds(30), state != WorkerState.OFFLINE, false, "3.7.0", "Debian 12", classes,
				List.of(evidence, "second line of evidence"), new WorkerReport.Counts(5, 1, 0, 0, 6, 0.0), NOW, null,
				null, null);
	}

	static List<WorkerReport> lab() {
		return List.of(worker("alice-debian", WorkerState.HEALTHY, Duration.ofDays(3), Set.of("gcc", "clang"), "6 builds: 6 succeeded"),
				worker("bob-freebsd", WorkerState.FLAKY_HOST, Duration.ofHours(28), Set.of("gcc", "clang"),
						"6 of 6 builds in the last 7d were host failures"),
				worker("carol-arm64", WorkerState.FAILING_BUILD, Duration.ofHours(2), Set.of("clang", "arm64"),
						"'clang carol-arm64' failed its last 3 builds in step 'test'"),
				worker("dave-macos", WorkerState.OFFLINE, Duration.ofDays(3).plusHours(4), Set.of("lto"),
						"configured on master 'lab' but has never connected"));
	}

	static WorkerReport detail() {
		WorkerReport w = lab().get(1);
		return new WorkerReport(w.master(), w.name(), w.state(), w.since(), w.owner(), w.lastSeen(), w.connected(),
				w.paused(), w.version(), w.host(), w.classes(), w.evidence(), w.builds(), w.classifiedAt(),
				List.of(new WorkerReport.BuildView(18, 6, "gcc bob-freebsd", null, 2, "failure", "git",
						NOW.minusSeconds(600), NOW.minusSeconds(590), "http://127.0.0.1:8010/#/builders/3/builds/6")),
				// Newest first: flaky-host again after an unknown spell (its master's outage), since kept from before it.
				List.of(new WorkerReport.StateView(WorkerState.FLAKY_HOST, w.since(), w.evidence()),
						new WorkerReport.StateView(WorkerState.UNKNOWN, NOW.minus(Duration.ofHours(2)),
								List.of("master 'lab' has not answered for 15m")),
						new WorkerReport.StateView(WorkerState.FLAKY_HOST, w.since(), w.evidence())),
				List.of(new WorkerReport.TransitionView(true, NOW.minus(Duration.ofDays(1)))));
	}

	static GateReport gate() {
		GateReport.LastBuild red = new GateReport.LastBuild(6, 2, "failure", "http://127.0.0.1:8010/#/builders/5/builds/6",
				NOW.minusSeconds(3600), "0123456789abcdef", "test");
		GateReport.LastBuild green = new GateReport.LastBuild(6, 0, "success", null, NOW.minusSeconds(3600), "0123456789abcdef",
				null);
		GateReport.LastBuild bobs = new GateReport.LastBuild(9, 2, "failure", "http://127.0.0.1:8010/#/builders/7/builds/9",
				NOW.minusSeconds(1800), "fedcba9876543210", "test");
		GateReport.Entry blocker = new GateReport.Entry("gcc carol-arm64", "tag",
				"last build #6 failed in step 'test' on carol-arm64 (failing-build), the build's fault: the builder failed its "
						+ "last 3 builds in a row, on carol-arm64 (failing-build), none counted against its host",
				red, "carol-arm64", WorkerState.FAILING_BUILD, Cause.CODE, "3.x", "tier-1", Outcome.FAILURE, null, null,
				"fix the build of branch '3.x' on 'gcc carol-arm64': the code as it builds there, or its platform (its"
						+ " failures are not a revision failing on its peers too)");
		GateReport.Entry offline = new GateReport.Entry("gcc dave-macos", "tag",
				"no worker connected (dave-macos is offline), but it finished a build 2h ago, within 6h", null,
				"dave-macos", WorkerState.OFFLINE, Cause.NO_WORKER, "3.x", "tier-2", null, null, null,
				"connect a worker for it: dave-macos is offline");
		GateReport.Entry passing = new GateReport.Entry("gcc alice-debian", "tag", "last build #6 ended in success", green,
				"alice-debian", WorkerState.HEALTHY, null, "3.x", "tier-1", Outcome.SUCCESS, null, null, null);
		GateReport.Entry host = new GateReport.Entry("x86-64 gcc 3.14", "tag",
				"last build #9 failed in step 'test' on bob-freebsd (flaky-host), which the classifier counts against "
						+ "that host; #8 passed on grace-debian 1h ago (the host's failure, not the code's)",
				bobs, "bob-freebsd", WorkerState.FLAKY_HOST, Cause.HOST, "3.14", "tier-1", Outcome.HOST_FAILURE,
				"failed on 'x86-64 gcc 3.14' where its pool mates pass",
				new GateReport.PeerBuild(8, "grace-debian", "http://127.0.0.1:8010/#/builders/7/builds/8",
						NOW.minusSeconds(3600), "fedcba9876543210"),
				"fix the host bob-freebsd (flaky-host), or take it off 'x86-64 gcc 3.14' (the stable-set proposal lists "
						+ "'x86-64 gcc 3.14' under remove)");
		GateReport.BranchGate b3x = new GateReport.BranchGate("3.x", GateVerdict.NO_GO, 3, List.of(blocker),
				List.of(offline), List.of(passing), List.of());
		GateReport.BranchGate b314 = new GateReport.BranchGate("3.14", GateVerdict.GO, 1, List.of(), List.of(host),
				List.of(), List.of());
		GateReport.Entry unknown = new GateReport.Entry("gcc old-box", "configuration",
				"configured as stable, but master 'lab' has no current builder of that name", null, null, null,
				Cause.UNKNOWN_BUILDER, null, null, null, null, null, "correct fleet-health.gate.stable-builders");
		return new GateReport("lab", GateVerdict.NO_GO, NOW, "stable", 5, List.of(blocker),
				List.of(offline, host, unknown), List.of(passing), List.of(), null, List.of(b3x, b314));
	}

	static StableSetProposal proposal() {
		return new StableSetProposal("lab", NOW, "P7D", 10, 3,
				List.of(new StableSetProposal.Entry("clang alice-debian", null, 12, 12, List.of("alice-debian"),
						List.of("all 12 builds within 7d passed"))),
				List.of(new StableSetProposal.Entry("gcc carol-arm64", "tag", 6, 0, List.of("carol-arm64"),
						List.of("6 of 6 builds within 7d failed"))));
	}

}
