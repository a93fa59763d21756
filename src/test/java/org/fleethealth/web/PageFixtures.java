package org.fleethealth.web;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.fleethealth.gate.GateReport;
import org.fleethealth.gate.GateVerdict;
import org.fleethealth.gate.StableSetProposal;
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
				List.of(new WorkerReport.StateView(WorkerState.FLAKY_HOST, w.since(), w.evidence())),
				List.of(new WorkerReport.TransitionView(true, NOW.minus(Duration.ofDays(1)))));
	}

	static GateReport gate() {
		GateReport.LastBuild red = new GateReport.LastBuild(6, 2, "failure", "http://127.0.0.1:8010/#/builders/5/builds/6",
				NOW.minusSeconds(3600), "0123456789abcdef", "test");
		GateReport.LastBuild green = new GateReport.LastBuild(6, 0, "success", null, NOW.minusSeconds(3600), "0123456789abcdef",
				null);
		return new GateReport("lab", GateVerdict.NO_GO, NOW, "stable", 3,
				List.of(new GateReport.Entry("gcc carol-arm64", "tag", "last build #6 failed in step 'test'", red,
						"carol-arm64", WorkerState.FAILING_BUILD)),
				List.of(new GateReport.Entry("gcc dave-macos", "tag", "no worker connected (dave-macos is offline)",
						null, "dave-macos", WorkerState.OFFLINE)),
				List.of(new GateReport.Entry("gcc alice-debian", "tag", "last build #6 ended in success", green,
						"alice-debian", WorkerState.HEALTHY)),
				List.of());
	}

	static StableSetProposal proposal() {
		return new StableSetProposal("lab", NOW, "P7D", 10, 3,
				List.of(new StableSetProposal.Entry("clang alice-debian", null, 12, 12, List.of("alice-debian"),
						List.of("all 12 builds within P7D passed"))),
				List.of(new StableSetProposal.Entry("gcc carol-arm64", "tag", 6, 0, List.of("carol-arm64"),
						List.of("6 of 6 builds within P7D failed"))));
	}

}
