package org.fleethealth.fleet.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import org.fleethealth.fleet.BuildHistoryNeed;
import org.fleethealth.system.Durations;

/**
 * What the first sync of a master says when {@code max-backfill-pages} stopped it before {@code lookback}: a
 * warning only where a verdict's reach ({@link BuildHistoryNeed}) goes back further than the builds it read.
 *
 * @param master the master's name
 * @param builds how many builds it stored
 * @param oldest when the oldest of them started
 * @param horizon where {@code lookback} would have stopped it
 * @param now when it ran
 * @param pages {@code max-backfill-pages}
 * @param pageSize {@code page-size}
 */
record BackfillReport(String master, int builds, Instant oldest, Instant horizon, Instant now, int pages,
		int pageSize) {

	/** The settings whose reach goes back before the oldest build read, longest first. */
	List<BuildHistoryNeed> cutShort(List<BuildHistoryNeed> needs) {
		Duration covered = Duration.between(this.oldest, this.now);
		return needs.stream()
			.filter((n) -> n.reach().compareTo(covered) > 0)
			.sorted(Comparator.comparing(BuildHistoryNeed::reach).reversed())
			.toList();
	}

	/** One line for the log: how far back it got, why it stopped, and which verdicts that cuts short (if any). */
	String text(List<BuildHistoryNeed> needs) {
		List<BuildHistoryNeed> cutShort = cutShort(needs);
		String head = "Backfilled " + this.builds + " builds of master '" + this.master
				+ "', back to builds started at " + this.oldest + " (" + Durations.between(this.oldest, this.now)
				+ " ago), not to " + this.horizon + " (lookback): the first sync reads at most"
				+ " fleet-health.poll.max-backfill-pages (" + this.pages + ") pages of page-size (" + this.pageSize
				+ ") builds, and older builds are not read later. ";
		if (cutShort.isEmpty()) {
			return head + (needs.isEmpty() ? "No verdict reaches further back"
					: "That covers " + list(needs) + ": no verdict counts fewer builds for it");
		}
		return head + "Verdicts over " + list(cutShort) + " count fewer builds than they should until that much"
				+ " time has passed; raise max-backfill-pages and start from an empty database to read them all";
	}

	private static String list(List<BuildHistoryNeed> needs) {
		return needs.stream()
			.map((n) -> n.property() + " (" + Durations.human(n.reach()) + ")")
			.collect(Collectors.joining(" and "));
	}

}
