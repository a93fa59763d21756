package org.fleethealth.system;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs the work of one master one at a time, in this JVM. Reactions to events run on the task executor, so two
 * classifications of a master in quick succession (the workers and the builds poll) would otherwise have their
 * reactions run side by side, and both open the same proposal. Hold it around the whole transaction, commit
 * included: a lock taken inside a transaction is released before the commit, and the next one would not see it.
 */
public final class MasterSerial {

	private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

	/** Runs {@code work} for {@code master} once no other work for that master runs here, and returns its result. */
	public <T> T run(String master, Supplier<T> work) {
		ReentrantLock lock = this.locks.computeIfAbsent(master, (m) -> new ReentrantLock());
		lock.lock();
		try {
			return work.get();
		}
		finally {
			lock.unlock();
		}
	}

	/** Runs {@code work} for {@code master} once no other work for that master runs here. */
	public void run(String master, Runnable work) {
		run(master, () -> {
			work.run();
			return null;
		});
	}

}
