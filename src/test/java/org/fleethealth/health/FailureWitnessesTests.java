package org.fleethealth.health;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FailureWitnesses} counts what walking every builder would count: random failure runs, askers and
 * left-out builders against the walk ({@link #walked}), the rule as {@code Revisions} states it.
 */
class FailureWitnessesTests {

	private static final String ASKED = "r0";

	@Test
	void countsWhatAWalkOfEveryBuilderCounts() {
		int nonZero = 0;
		int stale = 0;
		for (int seed = 0; seed < 300; seed++) {
			Random random = new Random(seed);
			Map<Long, List<Set<String>>> runs = new HashMap<>();
			int builders = 1 + random.nextInt(40);
			for (long b = 1; b <= builders; b++) {
				List<Set<String>> of = new ArrayList<>();
				int builds = (random.nextInt(6) == 0) ? 2 + random.nextInt(2) : 1;
				for (int i = 0; i < builds; i++) {
					of.add((random.nextInt(30) == 0) ? null : run(random));
				}
				runs.put(b, of);
			}
			FailureWitnesses witnesses = new FailureWitnesses(ASKED, runs);
			Set<String> anywhere = revisions(random, 10);
			for (int ask = 0; ask < 20; ask++) {
				// A builder with passes asks with what it passed; one that passed nothing with everything but r0.
				FailureWitnesses.Good good = random.nextBoolean() ? new FailureWitnesses.Good(revisions(random, 6), null)
						: new FailureWitnesses.Good(anywhere, ASKED);
				List<Long> leftOut = new ArrayList<>();
				for (int i = random.nextInt(3); i > 0; i--) {
					leftOut.add((long) (1 + random.nextInt(builders + 2)));
				}
				leftOut = leftOut.stream().distinct().toList();
				int expected = walked(runs, good, leftOut);
				assertThat(witnesses.fresh(good, leftOut)).as("seed %d, ask %d", seed, ask).isEqualTo(expected);
				nonZero += (expected > 0) ? 1 : 0;
				stale += (expected < builders - leftOut.size()) ? 1 : 0;
			}
		}
		// Both answers must be common, or the comparison says little.
		assertThat(nonZero).isGreaterThan(1_000);
		assertThat(stale).isGreaterThan(1_000);
	}

	@Test
	void aBuilderWhoseRunTakesInARevisionTheAskerPassedIsNoWitness() {
		Map<Long, List<Set<String>>> runs = Map.of(1L, List.of(Set.of(ASKED)), 2L, List.of(Set.of(ASKED, "r7")),
				3L, List.of(Set.of(ASKED, "r8"), Set.of(ASKED)));
		FailureWitnesses witnesses = new FailureWitnesses(ASKED, runs);
		assertThat(witnesses.fresh(new FailureWitnesses.Good(Set.of("r7"), null), List.of())).isEqualTo(2);
		assertThat(witnesses.fresh(new FailureWitnesses.Good(Set.of("r7", "r8"), null), List.of())).isEqualTo(2);
		assertThat(witnesses.fresh(new FailureWitnesses.Good(Set.of("r7"), null), List.of(1L))).isEqualTo(1);
		// The asker passed the revision itself: every run holds it.
		assertThat(witnesses.fresh(new FailureWitnesses.Good(Set.of(ASKED), null), List.of())).isZero();
		assertThat(witnesses.fresh(new FailureWitnesses.Good(Set.of(ASKED, "r7", "r8"), ASKED), List.of()))
			.isEqualTo(2);
	}

	/** The rule walked builder by builder: fresh if any failed build has no run, or a run with no good revision. */
	private static int walked(Map<Long, List<Set<String>>> runs, FailureWitnesses.Good good, List<Long> leftOut) {
		int fresh = 0;
		for (Map.Entry<Long, List<Set<String>>> entry : runs.entrySet()) {
			if (leftOut.contains(entry.getKey())) {
				continue;
			}
			if (entry.getValue().stream().anyMatch((run) -> run == null || run.stream().noneMatch(good))) {
				fresh++;
			}
		}
		return fresh;
	}

	private static Set<String> run(Random random) {
		Set<String> run = new HashSet<>(revisions(random, 4));
		run.add(ASKED);
		return run;
	}

	private static Set<String> revisions(Random random, int most) {
		Set<String> revisions = new HashSet<>();
		for (int i = random.nextInt(most + 1); i > 0; i--) {
			revisions.add("r" + random.nextInt(12));
		}
		if (random.nextInt(8) == 0) {
			revisions.addAll(Arrays.asList(ASKED));
		}
		return revisions;
	}

}
