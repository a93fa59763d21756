package org.fleethealth.source;

import java.time.Instant;

/**
 * Where a {@link SourceStream} stands.
 *
 * @param state the state
 * @param since when it entered the state (from the application's clock)
 * @param reason why it is down, unavailable or closed, written for the log and the masters page (e.g.
 * {@code "ws://host/ws answered HTTP 404 to the WebSocket upgrade"}); {@code null} while starting, connecting or up
 */
public record SourceStreamStatus(State state, Instant since, String reason) {

	/** The states of a stream. */
	public enum State {

		/** Not started yet. */
		NEW,
		/**
		 * Opening the connection or subscribing for the first time. After a failure the stream stays
		 * {@link #DOWN} or {@link #UNAVAILABLE}, with the instant of the failure, while it is tried again.
		 */
		CONNECTING,
		/** Connected and subscribed: events arrive as they happen. */
		UP,
		/** Lost or could not connect (network, timeout, the master closed it, no answer to a ping): retrying. */
		DOWN,
		/**
		 * The master's web server answered the upgrade with an HTTP error (no WebSocket there, a proxy that refuses
		 * it, a login required and none configured) or refused the subscription: polling is all there is. Tried
		 * again now and then, in case the master gains one.
		 */
		UNAVAILABLE,
		/** Closed by the application; final. */
		CLOSED;

		/** Whether events arrive in this state. */
		public boolean live() {
			return this == UP;
		}

	}

}
