package org.fleethealth.health;

import java.time.Duration;
import java.time.Instant;
import java.util.*;

import org.fleethealth.health.Facts.*;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EquivalenceTmpTests {

	@Test
	void sameAsOld() {
		Instant now = Instant.parse("2026-11-27T12:00:00Z");
		long verdicts = 0;
		long intermittent = 0, codeBreak = 0, streak = 0;
		for (int seed = 0; seed < 3000; seed++) {
			Random r = new Random(seed);
			int nWorkers = 2 + r.nextInt(40);
			int nBuilders = 1 + r.nextInt(12);
			String[] classes = { "gcc", "clang", "arm", "x86", "lto", "static" };
			Map<Long, BuilderFacts> builders = new HashMap<>();
			for (long b = 1; b <= nBuilders; b++) {
				Set<String> cs = new TreeSet<>();
				int k = r.nextInt(4);
				for (int i = 0; i < k; i++) cs.add(classes[r.nextInt(Math.min(classes.length, 1 + r.nextInt(6)))]);
				builders.put(b, new BuilderFacts(b, "b" + b, cs));
			}
			List<WorkerFacts> workers = new ArrayList<>();
			for (long w = 1; w <= nWorkers; w++) {
				workers.add(new WorkerFacts("w" + w, w, r.nextInt(10) > 0, true, null, now.minus(Duration.ofDays(30)),
						now, null, r.nextInt(4), r.nextBoolean() ? "3.7.0" : "3.6.1", null, null));
			}
			List<BuildFacts> builds = new ArrayList<>();
			int nRevs = 1 + r.nextInt(8);
			int nBuilds = r.nextInt(400);
			String[] steps = { "git", "compile", "test", null };
			for (long id = 1; id <= nBuilds; id++) {
				long builder = 1 + r.nextInt(nBuilders);
				Long worker = r.nextInt(30) == 0 ? null : (long) (1 + r.nextInt(nWorkers));
				String rev = r.nextInt(20) == 0 ? null : "rev" + r.nextInt(nRevs);
				int p = r.nextInt(100);
				Integer res = p < 45 ? Integer.valueOf(0) : p < 50 ? Integer.valueOf(1) : p < 85 ? Integer.valueOf(2) : p < 90 ? Integer.valueOf(4) : p < 93 ? Integer.valueOf(5) : p < 96 ? Integer.valueOf(3) : p < 98 ? Integer.valueOf(6) : (Integer) null;
				Instant start = now.minus(Duration.ofMinutes(r.nextInt(60 * 24 * 8)));
				builds.add(new BuildFacts(id, (int) id, builder, worker, start, start.plusSeconds(600), true, res, rev,
						res != null && res == 2 ? steps[r.nextInt(steps.length)] : null));
			}
			MasterFacts facts = new MasterFacts("m", now, null, workers, builders, builds);
			ClassificationProperties props = ClassificationProperties.defaults();
			Map<String, Verdict> a = new Classifier(props).classify(facts, now);
			Map<String, Verdict> b = new OldClassifier(props).classify(facts, now);
			assertThat(a).as("seed " + seed).isEqualTo(b);
			verdicts += a.size();
			for (Verdict v : a.values()) {
				String e = String.join("|", v.evidence());
				if (e.contains("intermittently")) intermittent++;
				if (e.contains("passed on")) streak++;
				if (v.counts().codeBreak() > 0) codeBreak++;
			}
		}
		System.out.println("EQUIV verdicts=" + verdicts + " intermittent=" + intermittent + " streakPassedOn=" + streak + " codeBreak=" + codeBreak);
	}

}
