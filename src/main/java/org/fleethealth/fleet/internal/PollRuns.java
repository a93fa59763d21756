package org.fleethealth.fleet.internal;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Lets the service stop quietly in the middle of a poll. When the service stops, polls read no further (the
 * request under way is answered or times out, what was read is stored), no new poll starts, and the shutdown
 * waits for the running ones before the database goes away ({@code spring.lifecycle.timeout-per-shutdown-phase}
 * at most). A poll cut short says so in one line; nothing of it is reported as a master's failure, and the
 * next start reads on from the stored cursor.
 */
@Component
public class PollRuns implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(PollRuns.class);

	private final Object lock = new Object();

	private int running;

	private volatile boolean stopping;

	private Runnable whenIdle;

	private volatile boolean started;

	/** Marks the start of a poll; {@code false} when the service is stopping and the poll must not start. */
	public boolean enter() {
		synchronized (this.lock) {
			if (this.stopping) {
				return false;
			}
			this.running++;
			return true;
		}
	}

	/** Marks the end of a poll; one cut short by the stop is logged in one line. */
	public void exit(String poll) {
		Runnable done = null;
		synchronized (this.lock) {
			this.running--;
			if (this.running == 0 && this.whenIdle != null) {
				done = this.whenIdle;
				this.whenIdle = null;
			}
		}
		if (this.stopping) {
			logger.info("Stopped while polling " + poll + ": what was read is kept, the rest is read after the next start");
		}
		if (done != null) {
			done.run();
		}
	}

	/** Whether the service is stopping: a poll reads no further. */
	public boolean stopping() {
		return this.stopping;
	}

	@Override
	public void start() {
		synchronized (this.lock) {
			this.stopping = false;
			this.started = true;
		}
	}

	@Override
	public void stop() {
		stop(() -> {
		});
	}

	@Override
	public void stop(Runnable callback) {
		synchronized (this.lock) {
			this.stopping = true;
			this.started = false;
			if (this.running > 0) {
				this.whenIdle = callback;
				return;
			}
		}
		callback.run();
	}

	@Override
	public boolean isRunning() {
		return this.started;
	}

}
