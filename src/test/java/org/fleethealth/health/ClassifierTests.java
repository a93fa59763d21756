package org.fleethealth.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.health.Facts.BuilderFacts;
import org.fleethealth.health.Facts.MasterFacts;
import org.fleethealth.health.Facts.WorkerFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The classification, table-driven: each state, each kind of evidence, precedence, and code breaks. */
class ClassifierTests {

	static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

	static final long GCC = 1;

	static final long CLANG = 2;

	static final long GCC_PEER = 3;

	static final long GCC_PEER2 = 4;

	static final String W = "carol-arm64";

	static final long W_ID = 10;

	static final long PEER_ID = 11;

	static final long PEER2_ID = 12;

	private final Classifier classifier = new Classifier(ClassificationProperties.defaults());

	static Stream<Arguments> table() {
		return Stream.of(
				// name, scenario, expected state, expected evidence fragment
				Arguments.of("no builds at all: healthy", new Scenario(), WorkerState.HEALTHY,
						"no finished builds in the window"),
				Arguments.of("all green: healthy", new Scenario().builds(GCC, "s s s s s s"), WorkerState.HEALTHY,
						"6 builds in the window: 6 succeeded"),
				Arguments.of("master silent for longer than stale-after: unknown",
						new Scenario().builds(GCC, "s s s").lastAnswer(NOW.minus(Duration.ofMinutes(11))),
						WorkerState.UNKNOWN, "has not answered since"),
				Arguments.of("master never answered: unknown", new Scenario().lastAnswer(null).connected(false),
						WorkerState.UNKNOWN, "has not answered yet"),
				Arguments.of("stale master wins over offline",
						new Scenario().connected(false)
							.disconnectedAt(NOW.minus(Duration.ofDays(3)))
							.lastAnswer(NOW.minus(Duration.ofHours(2))),
						WorkerState.UNKNOWN, "has not answered since"),
				Arguments.of("never connected: offline at once", new Scenario().connected(false).everConnected(false),
						WorkerState.OFFLINE, "has never connected"),
				Arguments.of("disconnected for 2h: offline",
						new Scenario().connected(false).disconnectedAt(NOW.minus(Duration.ofHours(2))),
						WorkerState.OFFLINE, "not connected since 2026-11-27T10:00:00Z (2h)"),
				Arguments.of("disconnected for 20m: not yet offline",
						new Scenario().connected(false)
							.disconnectedAt(NOW.minus(Duration.ofMinutes(20)))
							.builds(GCC, "s s"),
						WorkerState.HEALTHY, "disconnected since"),
				Arguments.of("already down when first seen: last build finished tells since when",
						new Scenario().connected(false)
							.lastBuildFinished(NOW.minus(Duration.ofDays(20)))
							.firstSeenAt(NOW.minus(Duration.ofMinutes(2))),
						WorkerState.OFFLINE, "(20d)"),
				Arguments.of("offline wins over flaky", new Scenario().builds(GCC, "x x x s s")
					.connected(false)
					.disconnectedAt(NOW.minus(Duration.ofDays(1))), WorkerState.OFFLINE, "not connected since"),
				Arguments.of("exceptions and retries: flaky-host", new Scenario().builds(GCC, "s x s r s s s"),
						WorkerState.FLAKY_HOST, "2 of 7 builds in the last 7d were host failures (0.29 >= 0.20)"),
				Arguments.of("failures in an infrastructure step: flaky-host",
						new Scenario().builds(GCC, "s f:git s f:worker_preparation s s"), WorkerState.FLAKY_HOST,
						"1 build failed in infrastructure step 'git'"),
				Arguments.of("too few builds for the ratio: healthy", new Scenario().builds(GCC, "x s s"),
						WorkerState.HEALTHY, "1 host failure"),
				Arguments.of("host failures below the ratio: healthy",
						new Scenario().builds(GCC, "s s s s s x s s s s s s"), WorkerState.HEALTHY,
						"12 builds in the window: 11 succeeded, 1 host failure"),
				Arguments.of("intermittent: passes on peers, alternates here: flaky-host",
						new Scenario().builds(GCC, "s f:test s f:test s f:test").peersPass(GCC_PEER, PEER_ID),
						WorkerState.FLAKY_HOST, "failed intermittently, e.g. in 'test' on revision r2 that passed on 1 peer (gcc, x86-64)"),
				Arguments.of("connection flapping: flaky-host", new Scenario().builds(GCC, "s s").disconnects(4),
						WorkerState.FLAKY_HOST, "disconnected 4 times in the last 7d (connection flapping)"),
				Arguments.of("same step failing 3 times in a row: failing-build",
						new Scenario().builds(GCC, "s s f:test f:test f:test").peersPass(GCC_PEER, PEER_ID),
						WorkerState.FAILING_BUILD,
						"'gcc carol-arm64' failed its last 3 builds in step 'test' since"),
				Arguments.of("streak names the peers that passed",
						new Scenario().builds(GCC, "s s f:test f:test f:test").peersPass(GCC_PEER, PEER_ID),
						WorkerState.FAILING_BUILD, "the same revisions passed on 1 peer"),
				Arguments.of("failures in different steps are no streak",
						new Scenario().builds(GCC, "s s f:compile f:test f:test"), WorkerState.HEALTHY, "3 failed"),
				Arguments.of("a success breaks the streak", new Scenario().builds(GCC, "f:test f:test s f:test f:test"),
						WorkerState.HEALTHY, "1 succeeded"),
				Arguments.of("code break: failing on all peers counts against nobody",
						new Scenario().builds(GCC, "s s f:test f:test f:test")
							.peersFail(GCC_PEER, PEER_ID)
							.peersFail(GCC_PEER2, PEER2_ID),
						WorkerState.HEALTHY, "3 code breaks"),
				Arguments.of("flaky wins over failing-build", new Scenario().builds(GCC, "x s f:test f:test f:test r"),
						WorkerState.FLAKY_HOST, "ended in exception"),
				Arguments.of("unknown result codes are ignored", new Scenario().builds(GCC, "s 9 s"),
						WorkerState.HEALTHY, "2 builds in the window: 2 succeeded"),
				Arguments.of("skipped and cancelled builds say nothing", new Scenario().builds(GCC, "s c k s"),
						WorkerState.HEALTHY, "2 builds in the window: 2 succeeded"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("table")
	void classifies(String name, Scenario scenario, WorkerState expected, String evidence) {
		Verdict verdict = this.classifier.classify(scenario.facts(), NOW).get(W);
		assertThat(verdict.state()).isEqualTo(expected);
		assertThat(verdict.evidence()).anySatisfy((line) -> assertThat(line).contains(evidence));
	}

	@Test
	void countsOutcomesInTheWindow() {
		Verdict verdict = this.classifier
			.classify(new Scenario().builds(GCC, "s f:git x s f:compile").facts(), NOW)
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
	void newStateStartsNow() {
		Verdict verdict = this.classifier
			.classify(new Scenario().builds(GCC, "s x r x s")
				.previous(WorkerState.HEALTHY, NOW.minus(Duration.ofDays(1)))
				.facts(), NOW)
			.get(W);
		assertThat(verdict.since()).isEqualTo(NOW);
	}

	@Test
	void offlineIsSinceTheDisconnect() {
		Instant gone = NOW.minus(Duration.ofDays(3));
		Verdict verdict = this.classifier
			.classify(new Scenario().connected(false).disconnectedAt(gone).previous(WorkerState.UNKNOWN, NOW).facts(),
					NOW)
			.get(W);
		assertThat(verdict.state()).isEqualTo(WorkerState.OFFLINE);
		assertThat(verdict.since()).isEqualTo(gone);
	}

	@Test
	void flagsVersionDrift() {
		Scenario scenario = new Scenario().builds(GCC, "s s").version("2.8.4").peerVersions("3.7.0", "3.7.0");
		Verdict verdict = this.classifier.classify(scenario.facts(), NOW).get(W);
		assertThat(verdict.evidence()).contains("runs buildbot-worker 2.8.4; most of the fleet runs 3.7.0 (version drift: upgrade)");
	}

	@Test
	void peersOfOtherClassesAreNoPeers() {
		// The revision passed only on a clang builder: that says nothing about a gcc failure.
		Verdict verdict = this.classifier
			.classify(new Scenario().builds(GCC, "s f:test s f:test s f:test").peersPass(CLANG, PEER_ID).facts(), NOW)
			.get(W);
		assertThat(verdict.counts().hostFailure()).isZero();
	}

	@Test
	void comparesVersionsNumerically() {
		assertThat(Classifier.compareVersions("3.10.0", "3.7.0")).isPositive();
		assertThat(Classifier.compareVersions("2.8.4", "3.7.0")).isNegative();
		assertThat(Classifier.compareVersions("3.7.0", "3.7.0")).isZero();
	}

	@Test
	void saysDurationsAsPeopleDo() {
		assertThat(Classifier.human(Duration.ofHours(76))).isEqualTo("3d 4h");
		assertThat(Classifier.human(Duration.ofMinutes(25))).isEqualTo("25m");
		assertThat(Classifier.human(Duration.ofSeconds(40))).isEqualTo("40s");
	}

	/**
	 * A small fleet on one master: the worker under test (builds on builders 'gcc' and 'clang') and peers. A
	 * build spec is a list of results: s success, f:STEP failure in STEP, x exception, r retry, k skipped, c
	 * cancelled, or a number for a raw result code. The n-th build of the worker builds revision rN.
	 */
	static final class Scenario {

		private final Map<Long, BuilderFacts> builders = new HashMap<>();

		private final List<BuildFacts> builds = new ArrayList<>();

		private final Map<String, WorkerFacts> peers = new LinkedHashMap<>();

		private long nextBuild = 1;

		private int ownBuilds;

		private Duration startedAgo = Duration.ofHours(30);

		private Instant lastAnswer = NOW.minusSeconds(30);

		private boolean connected = true;

		private boolean everConnected = true;

		private Instant disconnectedAt;

		private Instant firstSeenAt = NOW.minus(Duration.ofDays(30));

		private Instant lastBuildFinished;

		private int disconnects;

		private String version = "3.7.0";

		private WorkerState previousState;

		private Instant previousSince;

		Scenario() {
			this.builders.put(GCC, new BuilderFacts(GCC, "gcc carol-arm64", Set.of("gcc", "x86-64")));
			this.builders.put(CLANG, new BuilderFacts(CLANG, "clang carol-arm64", Set.of("clang")));
			this.builders.put(GCC_PEER, new BuilderFacts(GCC_PEER, "gcc alice-debian", Set.of("gcc", "x86-64")));
			this.builders.put(GCC_PEER2, new BuilderFacts(GCC_PEER2, "gcc bob-freebsd", Set.of("gcc")));
		}

		Scenario builds(long builder, String spec) {
			for (String result : spec.split(" ")) {
				this.ownBuilds++;
				this.builds.add(build(builder, W_ID, "r" + this.ownBuilds, result));
			}
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
				this.builds.add(build(builder, peer, "r" + i, result));
			}
			this.peers.putIfAbsent("peer-" + peer, worker("peer-" + peer, peer, "3.7.0"));
			return this;
		}

		Scenario peerVersions(String... versions) {
			for (int i = 0; i < versions.length; i++) {
				this.peers.put("v-" + i, worker("v-" + i, 100 + i, versions[i]));
			}
			return this;
		}

		private BuildFacts build(long builder, long worker, String revision, String result) {
			long id = this.nextBuild++;
			Instant started = NOW.minus(this.startedAgo).plusSeconds(id * 60);
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
					step = result.substring(2);
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

		Scenario disconnects(int n) {
			this.disconnects = n;
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

		private WorkerFacts worker(String name, long id, String version) {
			return new WorkerFacts(name, id, true, true, null, NOW.minus(Duration.ofDays(30)), NOW, null, 0, version,
					null, null);
		}

		MasterFacts facts() {
			List<WorkerFacts> workers = new ArrayList<>();
			workers.add(new WorkerFacts(W, W_ID, this.connected, this.everConnected, this.disconnectedAt,
					this.firstSeenAt, this.connected ? NOW : null, this.lastBuildFinished, this.disconnects,
					this.version, this.previousState, this.previousSince));
			workers.addAll(this.peers.values());
			return new MasterFacts("lab", this.lastAnswer, "connection refused", workers, this.builders, this.builds);
		}

		@Override
		public String toString() {
			return "scenario";
		}

	}

}
