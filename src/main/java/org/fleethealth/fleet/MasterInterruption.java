package org.fleethealth.fleet;

import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A time a master as a whole was not itself: builds it ended then, and workers that dropped then, count against
 * no worker.
 *
 * @param kind what was seen
 * @param from when it began (for a restart: the last heartbeat before it; for an outage: the last answer before it)
 * @param to when it ended (the first heartbeat or answer after it), or {@code null} while it lasts
 * @param workersAffected for {@link Kind#DISCONNECTS}: how many workers dropped at that poll
 * @param workersTotal for {@link Kind#DISCONNECTS}: how many were connected at the poll before
 * @param detail what was seen, for people
 */
public record MasterInterruption(Kind kind, Instant from, Instant to, Integer workersAffected, Integer workersTotal,
		String detail) {

	/** What was seen. */
	public enum Kind {

		/** The master restarted: its heartbeat ({@code /api/v2/masters}) left its 60 s rhythm, or it was inactive. */
		RESTART,
		/** Its API did not answer a workers poll. */
		UNREACHABLE,
		/** Several of its workers dropped at one poll. */
		DISCONNECTS;

		@JsonValue
		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
