package org.fleethealth.health;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

/**
 * Work that holds a master's whole state in memory runs one piece at a time in this JVM: a classification round,
 * and (with {@code fleet-health.classification.exclusive-reactions}, the default) each reaction to a round that
 * reads all of its reports: the release gate, pruning, quarantine and the metrics set. At 10,000 workers each holds
 * tens of MB while it runs; a round beside the reactions to the round before it (a master heard live asks for rounds
 * back to back) was what a 256 MiB heap ran out of (bench/NOTES.md). Rounds were one at a time already.
 *
 * <p>
 * Not held by connections heard live (the metrics show them at once), by pages and the API, or by mail. The lock is
 * fair, so neither rounds nor reactions wait for long behind the other, and reentrant: a reaction may start a round.
 * Take it outside a transaction, so that nothing waits for it while holding a database connection.
 */
@Component
public final class RoundLock {

	private final ReentrantLock lock = new ReentrantLock(true);

	private final boolean reactionsToo;

	RoundLock(ClassificationProperties properties) {
		this.reactionsToo = properties.exclusiveReactions();
	}

	/** Runs a classification round, once no other round (or reaction, when exclusive) runs in this JVM. */
	<T> T round(Supplier<T> work) {
		return locked(work);
	}

	/**
	 * Runs a reaction to a round that reads all of a master's reports: once no round or other such reaction runs in
	 * this JVM, unless {@code exclusive-reactions} is off.
	 */
	public <T> T reaction(Supplier<T> work) {
		return this.reactionsToo ? locked(work) : work.get();
	}

	/** As {@link #reaction(Supplier)}, without a result. */
	public void reaction(Runnable work) {
		reaction(() -> {
			work.run();
			return null;
		});
	}

	private <T> T locked(Supplier<T> work) {
		this.lock.lock();
		try {
			return work.get();
		}
		finally {
			this.lock.unlock();
		}
	}

}
