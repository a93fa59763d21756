package org.fleethealth.health;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.system.Durations;

/** The sentences of a verdict's evidence that name builds: people read these, in mails and on pages. */
final class EvidenceText {

	private EvidenceText() {
	}

	/** "N builds in the window: ..." */
	static String summary(BuildCounts c) {
		if (c.total() == 0) {
			return "no finished builds in the window";
		}
		List<String> parts = new ArrayList<>();
		parts.add(c.success() + " succeeded");
		if (c.failure() > 0) {
			parts.add(c.failure() + " failed");
		}
		if (c.hostFailure() > 0) {
			parts.add(c.hostFailure() + " host failure" + plural(c.hostFailure()));
		}
		if (c.codeBreak() > 0) {
			parts.add(c.codeBreak() + " code break" + plural(c.codeBreak()));
		}
		return c.total() + " build" + plural(c.total()) + " in the window: " + String.join(", ", parts);
	}

	/** One line per kind of host failure among the worker's builds, naming up to five of them. */
	static List<String> hostFailures(Round round, Judgements judged, List<BuildFacts> own,
			Map<Long, Outcome> outcomes) {
		Map<Judgements.Kind, List<BuildFacts>> byKind = new LinkedHashMap<>();
		for (BuildFacts b : own) {
			Judgements.Reason reason = judged.reason(b.id());
			if (outcomes.get(b.id()) == Outcome.HOST_FAILURE && reason != null) {
				byKind.computeIfAbsent(reason.kind(), (k) -> new ArrayList<>()).add(b);
			}
		}
		List<String> lines = new ArrayList<>();
		byKind.forEach((kind, builds) -> {
			if (kind == Judgements.Kind.INFRASTRUCTURE) {
				// One line per step: "failed in infrastructure step 'git'".
				builds.stream()
					.collect(Collectors.groupingBy((b) -> judged.reason(b.id()).text(), LinkedHashMap::new,
							Collectors.toList()))
					.forEach((text, same) -> lines.add(same.size() + " build" + plural(same.size()) + " failed in "
							+ text + " (" + names(round, same) + ")"));
				return;
			}
			String example = judged.reason(builds.get(0).id()).text();
			String what = switch (kind) {
				case INTERMITTENT -> "failed intermittently, e.g. " + example.substring("intermittent: ".length());
				case CONCENTRATED, SAME_STEP -> example;
				default -> "ended in " + example;
			};
			lines.add(builds.size() + " build" + plural(builds.size()) + " " + what + " (" + names(round, builds) + ")");
		});
		return lines;
	}

	/** "N builds ended by the master or an outage count against nobody (e.g. ...)". */
	static String interrupted(Round round, Judgements judged, List<BuildFacts> own, Map<Long, Outcome> outcomes,
			int n) {
		BuildFacts example = own.stream()
			.filter((b) -> outcomes.get(b.id()) == Outcome.INTERRUPTED)
			.reduce((a, b) -> b)
			.orElseThrow();
		return n + " build" + plural(n) + " ended by the master or an outage " + ((n == 1) ? "counts" : "count")
				+ " against nobody (e.g. '" + round.builderName(example.builderId()) + "' #" + example.number() + ": "
				+ judged.reason(example.id()).text() + ")";
	}

	/** A builder's failing streak, with its workers when they are others, and the class peers that passed. */
	static String streak(Round round, Streaks.Streak streak, long worker) {
		List<BuildFacts> run = streak.run();
		String line = "'" + round.builderName(streak.builderId()) + "' failed its last " + run.size()
				+ " builds in step '" + ((streak.step() != null) ? streak.step() : "unknown") + "' since "
				+ Durations.at(run.get(0).startedAt()) + " (" + names(round, run) + ")";
		List<String> workers = run.stream().map((b) -> round.workerName(b.workerId())).distinct().toList();
		if (workers.size() > 1 || !Objects.equals(run.get(0).workerId(), worker)) {
			line += " on " + String.join(", ", workers);
		}
		Set<Long> passed = new HashSet<>();
		run.forEach((b) -> round.peers().results(b).addPassedTo(passed));
		if (!passed.isEmpty()) {
			line += "; the same revisions passed on " + passed.size() + " peer" + plural(passed.size());
		}
		return line;
	}

	/** A stuck build: "build #N of 'B' running for 3d 4h (since ...)". */
	static String stuck(Round round, BuildFacts b) {
		return "build #" + b.number() + " of '" + round.builderName(b.builderId()) + "' running for "
				+ Durations.between(b.startedAt(), round.now) + " (since " + Durations.at(b.startedAt())
				+ "): stuck, counted once as a host failure";
	}

	/** Up to five builds, "'B' #N, ...". */
	static String names(Round round, List<BuildFacts> builds) {
		int shown = Math.min(builds.size(), 5);
		String names = builds.subList(0, shown)
			.stream()
			.map((b) -> "'" + round.builderName(b.builderId()) + "' #" + b.number())
			.collect(Collectors.joining(", "));
		return (builds.size() > shown) ? names + ", ..." : names;
	}

	static String plural(int n) {
		return (n == 1) ? "" : "s";
	}

}
