package org.fleethealth.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.health.Facts.BuilderFacts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Peers} keeps its results in arrays and class bit sets for speed; here they are checked against the
 * definition, computed the slow way for every build of random fleets.
 */
class PeersTests {

	private static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

	private static final String[] CLASSES = { "gcc", "clang", "arm64", "x86-64", "lto", "static" };

	@Test
	void matchTheDefinitionOnRandomFleets() {
		int checked = 0;
		int withPeers = 0;
		for (int seed = 0; seed < 500; seed++) {
			Random random = new Random(seed);
			Map<Long, BuilderFacts> builders = builders(random);
			List<BuildFacts> builds = builds(random, builders.size(), 2 + random.nextInt(30));
			Peers peers = new Peers(builds, builders, BuildFacts::revision);
			for (BuildFacts build : builds) {
				Peers.Results actual = peers.results(build);
				Expected expected = expected(build, builds, builders);
				Set<Long> passedOn = new HashSet<>();
				actual.addPassedTo(passedOn);
				assertThat(actual.passed()).as("seed %d, build %d: passed", seed, build.id()).isEqualTo(expected.passed);
				assertThat(actual.failed()).as("seed %d, build %d: failed", seed, build.id()).isEqualTo(expected.failed);
				assertThat(passedOn).as("seed %d, build %d: passed on", seed, build.id()).isEqualTo(expected.passedOn);
				assertThat(actual.classes()).as("seed %d, build %d: classes", seed, build.id())
					.containsExactlyElementsOf(expected.classes);
				checked++;
				withPeers += (expected.passed + expected.failed > 0) ? 1 : 0;
			}
		}
		// The random fleets must exercise the interesting cases, not only builds without peers.
		assertThat(checked).isGreaterThan(50_000);
		assertThat(withPeers).isGreaterThan(checked / 2);
	}

	@Test
	void buildWithoutRevisionHasNoPeers() {
		Map<Long, BuilderFacts> builders = Map.of(1L, new BuilderFacts(1, "b1", Set.of("gcc")));
		BuildFacts unknown = build(1, 1, 10L, null, 2);
		BuildFacts other = build(2, 1, 11L, null, 0);
		Peers.Results results = new Peers(List.of(unknown, other), builders, BuildFacts::revision).results(unknown);
		assertThat(results.passed()).isZero();
		assertThat(results.failed()).isZero();
		assertThat(results.classes()).isEmpty();
	}

	private record Expected(int passed, int failed, Set<Long> passedOn, Set<String> classes) {
	}

	/** The definition: builds of the same revision on builders sharing a class (or the same builder, without classes). */
	private static Expected expected(BuildFacts build, List<BuildFacts> builds, Map<Long, BuilderFacts> builders) {
		if (build.revision() == null) {
			return new Expected(0, 0, Set.of(), Set.of());
		}
		Set<String> classes = builders.get(build.builderId()).classes();
		Map<Long, Boolean> byWorker = new HashMap<>();
		Set<String> shared = new TreeSet<>();
		for (BuildFacts other : builds) {
			Integer r = other.results();
			if (other.workerId() == null || !build.revision().equals(other.revision()) || r == null
					|| (r != 0 && r != 1 && r != 2)) {
				continue;
			}
			Set<String> otherClasses = builders.get(other.builderId()).classes();
			Set<String> common = new TreeSet<>(otherClasses);
			common.retainAll(classes);
			boolean peer = classes.isEmpty() ? other.builderId() == build.builderId() : !common.isEmpty();
			if (!peer) {
				continue;
			}
			byWorker.merge(other.workerId(), r != 2, Boolean::logicalOr);
			if (!other.workerId().equals(build.workerId())) {
				shared.addAll(common);
			}
		}
		int passed = 0;
		int failed = 0;
		Set<Long> passedOn = new HashSet<>();
		for (Map.Entry<Long, Boolean> e : byWorker.entrySet()) {
			if (Objects.equals(e.getKey(), build.workerId())) {
				continue;
			}
			if (e.getValue()) {
				passed++;
				passedOn.add(e.getKey());
			}
			else {
				failed++;
			}
		}
		return new Expected(passed, failed, passedOn, shared);
	}

	private static Map<Long, BuilderFacts> builders(Random random) {
		Map<Long, BuilderFacts> builders = new HashMap<>();
		int count = 1 + random.nextInt(12);
		for (long id = 1; id <= count; id++) {
			Set<String> classes = new TreeSet<>();
			int n = random.nextInt(4);
			for (int i = 0; i < n; i++) {
				classes.add(CLASSES[random.nextInt(CLASSES.length)]);
			}
			builders.put(id, new BuilderFacts(id, "builder-" + id, classes));
		}
		return builders;
	}

	private static List<BuildFacts> builds(Random random, int builders, int workers) {
		List<BuildFacts> builds = new ArrayList<>();
		int revisions = 1 + random.nextInt(6);
		int count = random.nextInt(300);
		for (long id = 1; id <= count; id++) {
			Long worker = (random.nextInt(25) == 0) ? null : (long) (1 + random.nextInt(workers));
			String revision = (random.nextInt(20) == 0) ? null : "rev-" + random.nextInt(revisions);
			// success, warnings, failure, skipped, exception, retry, cancelled
			int results = new int[] { 0, 0, 0, 1, 2, 2, 2, 3, 4, 5, 6 }[random.nextInt(11)];
			builds.add(build(id, 1 + random.nextInt(builders), worker, revision, results));
		}
		return builds;
	}

	private static BuildFacts build(long id, long builder, Long worker, String revision, int results) {
		return new BuildFacts(id, (int) id, builder, worker, START, START.plusSeconds(600), true, results, revision,
				null);
	}

}
