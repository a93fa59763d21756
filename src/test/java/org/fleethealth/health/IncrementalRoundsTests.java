package org.fleethealth.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.fleethealth.fleet.MasterInterruption;
import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.health.Facts.BuilderFacts;
import org.fleethealth.health.Facts.MasterFacts;
import org.fleethealth.health.Facts.Presence;
import org.fleethealth.health.Facts.WorkerFacts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incremental rounds ({@link Recall}) against full rounds on the same random histories (issue 18): two services
 * each keep their own judgements, one judges every worker in every round, the other only the workers whose verdict
 * can differ. After every round they must agree, worker for worker: state, since, evidence, counts, rules, and
 * what was made of each build.
 */
class IncrementalRoundsTests {

	private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

	private static final String[] CLASSES = { "gcc", "clang", "arm64", "x86-64" };

	private static final String[] STEPS = { "compile", "test", "git", "worker_preparation" };

	// A short window and stuck-after, so builds leave the window and get stuck within a history; full rounds never
	// come on their own (a year), so they cannot hide a wrong incremental one.
	private static final ClassificationProperties PROPERTIES = new ClassificationProperties(Duration.ofMinutes(30),
			Duration.ofHours(1), Duration.ofHours(12), 0.2, 3, 3, 3, 0.75, 2, 2, 0.05, Duration.ofMinutes(5), 0.5,
			Duration.ofMinutes(10), ClassificationProperties.defaults().infrastructureSteps(),
			ClassificationProperties.defaults().nonClassTags(), ClassificationProperties.defaults().branchTags(), true,
			List.of(), Duration.ofHours(4), Duration.ofDays(365), true);

	@Test
	void incrementalRoundsAgreeWithFullRoundsWorkerForWorker() {
		Map<Recall.Why, Integer> judged = new EnumMap<>(Recall.Why.class);
		int kept = 0;
		int compared = 0;
		int windowsKept = 0;
		for (int seed = 0; seed < 100; seed++) {
			World world = new World(new Random(seed));
			Side full = new Side(null);
			Side incremental = new Side(new Recall(PROPERTIES.fullInterval()));
			for (int round = 0; round < 120; round++) {
				world.advance();
				Classifier.Judged everyone = full.round(world);
				Classifier.Judged some = incremental.round(world);
				for (Integer w : world.workers()) {
					String what = "seed %d, round %d, worker %d".formatted(seed, round, w);
					WorkerHealth a = full.health.get((long) w);
					WorkerHealth b = incremental.health.get((long) w);
					assertThat(b.getState()).as(what + ": state").isEqualTo(a.getState());
					assertThat(b.getSince()).as(what + ": since").isEqualTo(a.getSince());
					assertThat(b.getEvidence()).as(what + ": evidence").isEqualTo(a.getEvidence());
					assertThat(b.getCounts()).as(what + ": counts").isEqualTo(a.getCounts());
					assertThat(b.getRules()).as(what + ": rules").isEqualTo(a.getRules());
					compared++;
				}
				assertThat(some.builds()).as("seed %d, round %d: judged builds", seed, round)
					.isEqualTo(everyone.builds());
				some.judged().forEach((why, n) -> judged.merge(why, n, Integer::sum));
				kept += some.kept();
				windowsKept += some.windowKept() ? 1 : 0;
				assertThat(everyone.windowKept()).isFalse();
			}
		}
		// The histories must exercise every path, and most verdicts must be kept rather than made again.
		assertThat(compared).isGreaterThan(50_000);
		assertThat(judged.get(Recall.Why.CHANGED)).isGreaterThan(1_000);
		assertThat(judged.get(Recall.Why.DUE)).isGreaterThan(1_000);
		assertThat(judged.get(Recall.Why.FULL)).isGreaterThan(100);
		assertThat(kept).isGreaterThan(compared / 3);
		// Rounds whose window is the last one's take its build judgements, and must still agree.
		assertThat(windowsKept).isGreaterThan(500);
	}

	@Test
	void aRoundWithNothingNewJudgesOnlyTheWorkersWhoseVerdictReadsTheClock() {
		World world = new World(new Random(7));
		for (int i = 0; i < 30; i++) {
			world.advance();
		}
		world.lastAnswer = world.now;
		Side side = new Side(new Recall(PROPERTIES.fullInterval()));
		assertThat(side.round(world).judged()).containsOnlyKeys(Recall.Why.FULL);
		world.now = world.now.plusSeconds(1);
		world.lastAnswer = world.now;
		Classifier.Judged again = side.round(world);
		long clockReaders = world.connected.values().stream().filter((c) -> !c).count();
		assertThat(again.judged()).doesNotContainKeys(Recall.Why.FULL, Recall.Why.CHANGED);
		assertThat(again.kept()).isGreaterThan(0);
		assertThat(again.verdicts().size()).isGreaterThanOrEqualTo((int) clockReaders);
	}

	@Test
	void aRoundWhoseWindowIsUnchangedTakesTheLastBuildJudgementsAndAnyChangeJudgesItAgain() {
		World world = new World(new Random(11));
		for (int i = 0; i < 30; i++) {
			world.advance();
		}
		Side side = new Side(new Recall(PROPERTIES.fullInterval()));
		assertThat(side.round(world).windowKept()).as("first round").isFalse();
		world.now = world.now.plusSeconds(1);
		assertThat(side.round(world).windowKept()).as("nothing new").isTrue();
		// A few workers dropping at one poll explains no build: the window stands.
		world.interruptions.add(new MasterInterruption(MasterInterruption.Kind.DISCONNECTS, world.now, world.now, 1,
				world.workers().size(), "1 worker disconnected"));
		world.now = world.now.plusSeconds(1);
		assertThat(side.round(world).windowKept()).as("one worker's disconnect").isTrue();
		// Most of them dropping together may explain builds they ended: judged again.
		world.interruptions.add(new MasterInterruption(MasterInterruption.Kind.DISCONNECTS, world.now, world.now,
				world.workers().size(), world.workers().size(), "every worker disconnected"));
		world.now = world.now.plusSeconds(1);
		assertThat(side.round(world).windowKept()).as("a mass disconnect").isFalse();
		world.now = world.now.plusSeconds(1);
		assertThat(side.round(world).windowKept()).isTrue();
		BuildFacts running = world.builds.stream().filter((b) -> !b.complete()).findFirst().orElseThrow();
		world.finish(running);
		world.now = world.now.plusSeconds(1);
		assertThat(side.round(world).windowKept()).as("a build finished").isFalse();
		world.now = world.now.plus(PROPERTIES.window());
		assertThat(side.round(world).windowKept()).as("builds left the window").isFalse();
	}

	@Test
	void aRoundStoredByAnotherInstanceMakesTheNextRoundFull() {
		World world = new World(new Random(3));
		world.advance();
		Side side = new Side(new Recall(PROPERTIES.fullInterval()));
		side.round(world);
		world.now = world.now.plusSeconds(1);
		side.lastRoundAt = world.now.minusMillis(500);
		assertThat(side.round(world).judged()).containsOnlyKeys(Recall.Why.FULL);
	}

	/** One service's judgements: the classifier, stored judgements, and the recall of the last round. */
	private static final class Side {

		final Classifier classifier = new Classifier(PROPERTIES);

		final Recall recall;

		final Map<Long, WorkerHealth> health = new HashMap<>();

		Instant lastRoundAt;

		Side(Recall recall) {
			this.recall = recall;
		}

		Classifier.Judged round(World world) {
			MasterFacts facts = world.facts(this.health);
			Classifier.Judged judged = this.classifier.classify(facts, world.now, this.recall, this.lastRoundAt);
			for (WorkerFacts w : facts.workers()) {
				Verdict verdict = judged.verdicts().get(w.name());
				if (verdict != null) {
					this.health.computeIfAbsent(w.sourceId(), WorkerHealth::new).apply(verdict, world.now);
				}
			}
			this.lastRoundAt = world.now;
			return judged;
		}

	}

	/** A master's history, moved on by random events: builds, connections, versions, pauses, requests, restarts. */
	private static final class World {

		final Random random;

		Instant now = START;

		Instant lastAnswer = START;

		final Map<Long, BuilderFacts> builders = new LinkedHashMap<>();

		final Map<Integer, Boolean> connected = new LinkedHashMap<>();

		final Set<Integer> flapping = new HashSet<>();

		final Map<Integer, Instant> disconnectedAt = new HashMap<>();

		final Map<Integer, List<Instant>> disconnects = new HashMap<>();

		final Map<Integer, String> versions = new HashMap<>();

		final Map<Integer, Instant> pausedSince = new HashMap<>();

		final Map<Integer, Instant> waitingSince = new HashMap<>();

		final List<BuildFacts> builds = new ArrayList<>();

		final List<MasterInterruption> interruptions = new ArrayList<>();

		private long nextBuild = 1;

		World(Random random) {
			this.random = random;
			int workers = 4 + random.nextInt(16);
			for (int w = 1; w <= workers; w++) {
				this.connected.put(w, random.nextInt(6) != 0);
				if (random.nextInt(4) == 0) {
					this.flapping.add(w);
				}
				this.versions.put(w, random.nextInt(5) == 0 ? "3.7.0" : "3.11.1");
			}
			int count = 2 + random.nextInt(8);
			for (long b = 1; b <= count; b++) {
				Set<Long> pool = new HashSet<>();
				int size = 1 + random.nextInt(3);
				for (int i = 0; i < size; i++) {
					pool.add((long) (1 + random.nextInt(workers)));
				}
				Set<String> classes = Set.of(CLASSES[random.nextInt(CLASSES.length)]);
				this.builders.put(b, new BuilderFacts(b, "builder-" + b, classes, (b % 2 == 0) ? "main" : "3.x", pool));
			}
		}

		Set<Integer> workers() {
			return this.connected.keySet();
		}

		/** Minutes to hours later, with what happened meanwhile. */
		void advance() {
			this.now = this.now.plus(Duration.ofMinutes(1 + this.random.nextInt(this.random.nextInt(8) == 0 ? 300 : 20)));
			if (this.random.nextInt(15) != 0) {
				this.lastAnswer = this.now;
			}
			for (BuildFacts b : List.copyOf(this.builds)) {
				if (!b.complete() && this.random.nextInt(3) == 0) {
					finish(b);
				}
			}
			int starts = this.random.nextInt(4);
			for (int i = 0; i < starts; i++) {
				start();
			}
			// Most workers stay up and unpaused most of the time, as on a real fleet.
			for (Integer w : workers()) {
				if (this.random.nextInt(this.connected.get(w) ? (this.flapping.contains(w) ? 6 : 80) : 4) == 0) {
					toggleConnection(w);
				}
				if (this.random.nextInt(100) == 0) {
					this.versions.put(w, this.random.nextBoolean() ? "3.7.0" : "3.11.1");
				}
				if (this.random.nextInt(this.pausedSince.containsKey(w) ? 5 : 150) == 0) {
					togglePause(w);
				}
				if (this.random.nextInt(this.waitingSince.containsKey(w) ? 3 : 120) == 0) {
					this.waitingSince.compute(w, (k, v) -> (v == null) ? this.now : null);
				}
			}
			if (this.random.nextInt(30) == 0) {
				// An outage is recorded when it ends, and can explain disconnects seen rounds ago.
				Instant from = this.now.minus(Duration.ofMinutes(this.random.nextInt(180)));
				Instant to = from.plus(Duration.ofMinutes(1 + this.random.nextInt(30)));
				this.interruptions.add(new MasterInterruption(
						this.random.nextBoolean() ? MasterInterruption.Kind.RESTART : MasterInterruption.Kind.UNREACHABLE,
						from, to.isAfter(this.now) ? this.now : to, null, null, "outage"));
			}
		}

		private void start() {
			BuilderFacts builder = List.copyOf(this.builders.values()).get(this.random.nextInt(this.builders.size()));
			List<Long> pool = new ArrayList<>(builder.workers());
			pool.sort(null);
			long worker = pool.get(this.random.nextInt(pool.size()));
			Instant started = this.now.minus(Duration.ofMinutes(this.random.nextInt(30)));
			this.builds.add(new BuildFacts(this.nextBuild, (int) this.nextBuild, builder.id(), worker, started, null,
					false, null, "rev-" + this.random.nextInt(4), null, null, null, true));
			this.nextBuild++;
		}

		private void finish(BuildFacts b) {
			// success, warnings, failure (most), skipped, exception, retry, cancelled
			int results = new int[] { 0, 0, 0, 1, 2, 2, 2, 2, 3, 4, 5, 6 }[this.random.nextInt(12)];
			String step = (results == 2) ? STEPS[this.random.nextInt(STEPS.length)] : null;
			this.builds.set(this.builds.indexOf(b), new BuildFacts(b.id(), b.number(), b.builderId(), b.workerId(),
					b.startedAt(), this.now, true, results, b.revision(), step, null, null, true));
		}

		private void toggleConnection(int w) {
			boolean up = !this.connected.get(w);
			this.connected.put(w, up);
			if (!up) {
				this.disconnectedAt.put(w, this.now);
				this.disconnects.computeIfAbsent(w, (k) -> new ArrayList<>()).add(this.now);
			}
		}

		private void togglePause(int w) {
			this.pausedSince.compute(w, (k, v) -> (v == null) ? this.now : null);
		}

		/** What the service reads: the window's builds and disconnects, and each worker with its judgement. */
		MasterFacts facts(Map<Long, WorkerHealth> health) {
			Instant windowStart = this.now.minus(PROPERTIES.window());
			List<BuildFacts> window = this.builds.stream()
				.filter((b) -> !b.complete() || !b.startedAt().isBefore(windowStart))
				.toList();
			List<WorkerFacts> workers = new ArrayList<>();
			for (Integer w : workers()) {
				WorkerHealth h = health.get((long) w);
				Instant waiting = this.waitingSince.get(w);
				Presence presence = new Presence(this.pausedSince.containsKey(w), this.pausedSince.get(w), null,
						List.of(), null, null, false, (waiting != null) ? 2 : 0, waiting, null, null, null);
				Instant lastFinished = window.stream()
					.filter((b) -> b.complete() && b.workerId() == w.longValue())
					.map(BuildFacts::completeAt)
					.max(Instant::compareTo)
					.orElse(null);
				workers.add(new WorkerFacts("worker-" + w, w, this.connected.get(w), true, this.disconnectedAt.get(w),
						START, this.connected.get(w) ? this.lastAnswer : this.disconnectedAt.get(w), lastFinished,
						this.disconnects.getOrDefault(w, List.of())
							.stream()
							.filter((at) -> !at.isBefore(windowStart))
							.toList(),
						this.versions.get(w), (h != null) ? h.getState() : null, (h != null) ? h.getSince() : null,
						(h != null) ? h.getHeldState() : null, (h != null) ? h.getHeldSince() : null, presence));
			}
			return new MasterFacts("lab", this.lastAnswer, null, workers, this.builders, window,
					this.interruptions.stream().filter((i) -> !i.to().isBefore(windowStart)).toList());
		}

	}

}
