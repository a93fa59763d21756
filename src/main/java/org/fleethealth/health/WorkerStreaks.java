package org.fleethealth.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The {@code failing-build} rule's view of one worker: the failing streaks of the builders it serves, oldest first,
 * each as its evidence line reads.
 *
 * @param lines one evidence line per streak ({@link EvidenceText#streak}), the oldest streak first (ties by text)
 * @param since when the oldest streak's first build started, or {@code null} when no builder it serves has a streak
 */
record WorkerStreaks(List<String> lines, Instant since) {

	private record Line(Instant started, String text) {
	}

	static WorkerStreaks of(Round round, Map<Long, Streaks.Streak> streaks, long worker) {
		List<Line> found = new ArrayList<>();
		for (Long builderId : round.served(worker)) {
			Streaks.Streak streak = streaks.get(builderId);
			if (streak != null) {
				found.add(new Line(streak.run().get(0).startedAt(), EvidenceText.streak(round, streak, worker)));
			}
		}
		// The oldest first: the first line, the one pages and mails show, then dates the state (a trial read
		// "failing-build since 1m" beside "failed its last 5 builds since" five days before).
		found.sort(Comparator.comparing(Line::started).thenComparing(Line::text));
		return new WorkerStreaks(found.stream().map(Line::text).toList(),
				found.isEmpty() ? null : found.get(0).started());
	}

	/** The finding, or {@code null} when no builder it serves has a failing streak. */
	Finding finding() {
		return this.lines.isEmpty() ? null : new Finding(Rule.FAILING_STREAK, this.lines);
	}

}
