package org.fleethealth.fleet;

import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A change of a worker seen by a poll: it connected or disconnected, or was paused or unpaused (by anyone).
 *
 * @param workerId fleet-health's id of the worker ({@link FleetWorker#id()})
 * @param kind what changed
 * @param at when the poll saw it
 * @param detail for a pause, the reason the master gives, else {@code null}
 */
public record WorkerChange(Long workerId, Kind kind, Instant at, String detail) {

	/** What changed. */
	public enum Kind {

		CONNECTED, DISCONNECTED, PAUSED, UNPAUSED;

		@JsonValue
		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/** Whether this is a connect. */
	public boolean isConnect() {
		return this.kind == Kind.CONNECTED;
	}

	/** Whether this is a disconnect. */
	public boolean isDisconnect() {
		return this.kind == Kind.DISCONNECTED;
	}

}
