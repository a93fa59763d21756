package org.fleethealth.health;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one round waiting to start per master. Every poll and every batch of changes heard live asks for a round;
 * at 10,000 workers a round takes a second or more, and a master heard live can ask several times a second. A round
 * asked for while another round of the same master waits to start is covered by the waiting one: that one reads the
 * fleet when it starts, after the change that asked was committed. Without this, asks queued up on the task executor
 * without bound, each holding a thread while it waited for the round before it, and the other reactions (metrics,
 * release gate) waited behind them: a disconnect heard live did not show in the metrics for more than 30 seconds.
 */
final class PendingRounds {

	private final Set<String> waiting = ConcurrentHashMap.newKeySet();

	/**
	 * Asks for a round of the master.
	 *
	 * @return whether the caller is to run it: {@code false} when a round of the master waits to start already
	 */
	boolean ask(String master) {
		return this.waiting.add(master);
	}

	/** A round of the master starts reading the fleet now: what is asked for from here needs a round of its own. */
	void starting(String master) {
		this.waiting.remove(master);
	}

}
