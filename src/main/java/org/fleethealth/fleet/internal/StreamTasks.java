package org.fleethealth.fleet.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Runs what the masters' streams ask for (storing a batch of worker changes, a poll), off the HTTP client's threads
 * that deliver the events, on two threads named {@code fleet-stream-}. A task that fails is logged and dropped: the
 * next poll reads the state it was to store (builds from the cursor; connections as they are then, without the
 * connects and disconnects in between).
 *
 * <p>
 * At shutdown, what is being stored or judged finishes before the database closes (a poll in flight sees the stop
 * and ends early); tasks not started yet are dropped, and the next start's reconciliation reads what they would
 * have.
 */
final class StreamTasks {

	private static final Log logger = LogFactory.getLog(StreamTasks.class);

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private volatile boolean running;

	StreamTasks() {
		this.scheduler.setPoolSize(2);
		this.scheduler.setThreadNamePrefix("fleet-stream-");
		this.scheduler.setWaitForTasksToCompleteOnShutdown(true);
		this.scheduler.setAwaitTerminationSeconds(30);
		this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
	}

	void start() {
		this.scheduler.initialize();
		this.running = true;
	}

	/** Waits up to 30 s for the tasks running now; drops those not started. */
	void stop() {
		this.running = false;
		this.scheduler.shutdown();
	}

	/** Runs the task for the master after the delay, unless the service is stopping. */
	void later(String master, Duration delay, Runnable task) {
		if (!this.running) {
			return;
		}
		this.scheduler.getScheduledExecutor().schedule(() -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				// A poll reads the state things are in, not the changes on the way: a worker that dropped and came
				// back while this failed (the database away, say) shows no flap.
				logger.warn("Acting on what master '" + master + "' streamed failed (" + ex.getMessage()
						+ "); the next poll reads the workers' and builds' state as it is then, without the connects and"
						+ " disconnects in between");
				logger.debug("What failed", ex);
			}
		}, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

}
