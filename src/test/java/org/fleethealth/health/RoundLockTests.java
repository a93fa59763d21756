package org.fleethealth.health;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reaction that reads all of a master's reports waits for a running round (and a round for such a reaction), unless
 * {@code exclusive-reactions} is off; a reaction may start a round itself.
 */
class RoundLockTests {

	@Test
	void aReactionWaitsForTheRoundThatRuns() throws Exception {
		RoundLock lock = new RoundLock(ClassificationProperties.defaults());
		CountDownLatch roundMayEnd = new CountDownLatch(1);
		Thread round = runningRound(lock, roundMayEnd);
		AtomicBoolean reacted = new AtomicBoolean();
		Thread reaction = new Thread(() -> lock.reaction(() -> reacted.set(true)));
		reaction.start();
		// Parked on the lock, not run.
		await().until(() -> reaction.getState() == Thread.State.WAITING);
		assertThat(reacted).isFalse();
		roundMayEnd.countDown();
		await().untilTrue(reacted);
		round.join();
		reaction.join();
	}

	@Test
	void notExclusiveAReactionRunsBesideARound() throws Exception {
		RoundLock lock = new RoundLock(ClassificationProperties.defaults().withExclusiveReactions(false));
		CountDownLatch roundMayEnd = new CountDownLatch(1);
		Thread round = runningRound(lock, roundMayEnd);
		AtomicBoolean reacted = new AtomicBoolean();
		Thread reaction = new Thread(() -> lock.reaction(() -> reacted.set(true)));
		reaction.start();
		await().untilTrue(reacted);
		roundMayEnd.countDown();
		round.join();
		reaction.join();
	}

	@Test
	void aReactionMayStartARound() {
		RoundLock lock = new RoundLock(ClassificationProperties.defaults());
		String result = lock.reaction(() -> lock.round(() -> "judged"));
		assertThat(result).isEqualTo("judged");
	}

	/** A round that holds the lock until {@code mayEnd} is counted down; returned once it runs. */
	private static Thread runningRound(RoundLock lock, CountDownLatch mayEnd) throws InterruptedException {
		CountDownLatch runs = new CountDownLatch(1);
		Thread round = new Thread(() -> lock.round(() -> {
			runs.countDown();
			waitFor(mayEnd);
			return null;
		}));
		round.start();
		assertThat(runs.await(10, TimeUnit.SECONDS)).isTrue();
		return round;
	}

	private static void waitFor(CountDownLatch latch) {
		try {
			if (!latch.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("not released in 30 s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
