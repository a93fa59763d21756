package org.fleethealth.source;

/**
 * A live feed of events from one master (Buildbot's WebSocket), beside the polls: connects, disconnects and
 * finished builds as they happen instead of at the next poll. Obtained from {@link FleetSource#stream()}.
 *
 * <p>
 * Lifecycle: {@link #start} once; the stream then connects in the background and keeps reconnecting after a
 * failure (with a doubling wait) until {@link #close}. It never throws from the network: every problem is a
 * {@link SourceStreamListener#streamDown} with its reason. While it is down, events are missed, not queued:
 * the polls (the builds cursor, the workers list) are what catches up.
 *
 * <p>
 * Thread-safe: {@link #status} and {@link #close} may be called from any thread, at any time.
 */
public interface SourceStream extends AutoCloseable {

	/**
	 * Starts connecting in the background and returns at once; events go to {@code listener} (see
	 * {@link SourceStreamListener} for the threads and order it is called in).
	 * @throws IllegalStateException if the stream was started before or is closed
	 */
	void start(SourceStreamListener listener);

	/** Where the stream stands now (connecting, up, down, unavailable, closed) and since when. */
	SourceStreamStatus status();

	/**
	 * Disconnects and stops reconnecting; nothing more reaches the listener once it returns (a listener method
	 * already running finishes first). Idempotent.
	 */
	@Override
	void close();

}
