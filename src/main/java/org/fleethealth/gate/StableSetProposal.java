package org.fleethealth.gate;

import java.time.Instant;
import java.util.List;

/**
 * A stable set recreated from evidence: builders to add to it and stable builders to take out, each with
 * its reasons. Maintainers decide; nothing changes by itself.
 *
 * @param master the master
 * @param evaluatedAt when it was worked out
 * @param stableAfter how long a builder must have been green ({@code fleet-health.gate.stable-after})
 * @param minBuilds the fewest builds in that time ({@code fleet-health.gate.stable-min-builds})
 * @param stableBuilders how many builders are in the stable set now
 * @param add builders that earned a place and are not in the stable set
 * @param remove stable builders that have not earned their place
 */
public record StableSetProposal(String master, Instant evaluatedAt, String stableAfter, int minBuilds,
		int stableBuilders, List<Entry> add, List<Entry> remove) {

	public StableSetProposal {
		add = List.copyOf(add);
		remove = List.copyOf(remove);
	}

	/**
	 * One builder of the proposal.
	 *
	 * @param builder its name
	 * @param stableBecause {@code tag} or {@code configuration} if it is in the stable set now, else
	 * {@code null}
	 * @param builds its builds that passed or failed within {@code stableAfter}
	 * @param green how many of them passed
	 * @param workers the workers that serve it
	 * @param reasons why it should be added or removed
	 */
	public record Entry(String builder, String stableBecause, int builds, int green, List<String> workers,
			List<String> reasons) {

		public Entry {
			workers = List.copyOf(workers);
			reasons = List.copyOf(reasons);
		}

	}

}
