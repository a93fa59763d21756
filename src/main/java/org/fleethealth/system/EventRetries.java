package org.fleethealth.system;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.stereotype.Component;

/**
 * Runs failed cross-module reactions again, and the ones an instance was running when it stopped
 * ({@link EventProperties}). A reaction is safe to repeat: each one reads the current state (the reports of a
 * master's last classification, the proposals of a master) rather than replaying a change.
 */
@Component
public class EventRetries {

	private static final Log logger = LogFactory.getLog(EventRetries.class);

	private static final int READ_AT_ONCE = 10_000;

	private final FailedEventPublications failed;

	private final EventProperties properties;

	private final Clock clock;

	EventRetries(FailedEventPublications failed, EventProperties properties, Clock clock) {
		this.failed = failed;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Resubmits the failed reactions whose wait is over. Reactions still marked as running long after they started
	 * (their instance stopped) are marked failed by Spring Modulith's staleness check
	 * ({@code spring.modulith.events.staleness.*}, set from {@code fleet-health.events.stale-after}), so they come
	 * here too.
	 */
	public void retry() {
		Instant now = this.clock.instant();
		// All failed ones are read (few, normally): ones given up on must not crowd out the rest of a batch.
		this.failed.resubmit(ResubmissionOptions.defaults()
			.withBatchSize(READ_AT_ONCE)
			.withFilter((p) -> isDue(p, now) && logged(p)));
	}

	/** Not given up on, and waited long enough since its last attempt (read among the failed ones only). */
	boolean isDue(EventPublication p, Instant now) {
		if (p.getCompletionAttempts() >= this.properties.maxAttempts()) {
			return false;
		}
		Duration wait = Durations.backoff(this.properties.retryAfter(), Math.max(1, p.getCompletionAttempts()),
				this.properties.maxRetryWait());
		return !lastAttempt(p).plus(wait).isAfter(now);
	}

	private static Instant lastAttempt(EventPublication p) {
		return (p.getLastResubmissionDate() != null) ? p.getLastResubmissionDate() : p.getPublicationDate();
	}

	private static boolean logged(EventPublication p) {
		logger.info("Running a failed reaction to " + p.getEvent() + " again (publication " + p.getIdentifier() + ", "
				+ p.getCompletionAttempts() + " attempts so far)");
		return true;
	}

}
