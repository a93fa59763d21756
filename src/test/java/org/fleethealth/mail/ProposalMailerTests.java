package org.fleethealth.mail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.fleethealth.pruning.ProposalKind;
import org.fleethealth.pruning.ProposalStatus;
import org.fleethealth.pruning.ProposalView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox key of a proposals summary (issue 15, B8): two different announcements never share it. */
class ProposalMailerTests {

	private static final Instant AT = Instant.parse("2026-11-27T12:00:00Z");

	private static ProposalView proposal(long id) {
		return new ProposalView(id, "python", "w" + id, ProposalKind.HIDE_BUILDERS, ProposalStatus.PROPOSED, "offline",
				List.of(), null, null, AT, AT, null, null, null);
	}

	/** Twelve proposals with random ids of seven digits: a summary key longer than the column. */
	private static List<ProposalView> announcement(long seed) {
		Random random = new Random(seed);
		List<ProposalView> proposals = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			proposals.add(proposal(1_000_000 + random.nextInt(9_000_000)));
		}
		return proposals;
	}

	@Test
	void announcementsWhoseNamesCollideIn32BitsStillGetTwoKeys() {
		// Find two announcements whose full names have the same String.hashCode (by the birthday bound, one in a few
		// hundred thousand), which the 32-bit fallback key turned into one key: the second summary was dropped.
		Map<Integer, Long> seen = new HashMap<>();
		long a = -1;
		long b = -1;
		for (long seed = 0; seed < 1_000_000 && a < 0; seed++) {
			String name = "python:" + String.join(",", announcement(seed).stream()
				.map((p) -> p.id() + "@" + p.updatedAt().getEpochSecond())
				.toList());
			Long other = seen.putIfAbsent(name.hashCode(), seed);
			if (other != null) {
				a = other;
				b = seed;
			}
		}
		assertThat(a).as("a 32-bit collision among a million announcements").isNotNegative();
		assertThat(announcement(a)).isNotEqualTo(announcement(b));

		String first = ProposalMailer.period("python", announcement(a));
		String second = ProposalMailer.period("python", announcement(b));
		assertThat(first).isNotEqualTo(second);
		assertThat(first).hasSizeLessThanOrEqualTo(100);
		assertThat(ProposalMailer.period("python", announcement(a))).as("a replay keeps its key").isEqualTo(first);
	}

	@Test
	void aShortAnnouncementIsNamedInFull() {
		assertThat(ProposalMailer.period("python", List.of(proposal(7), proposal(8))))
			.isEqualTo("python:7@" + AT.getEpochSecond() + ",8@" + AT.getEpochSecond());
	}

}
