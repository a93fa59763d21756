package org.fleethealth.fleet;

import java.time.Duration;
import java.time.Instant;

import org.fleethealth.source.SourceStream;
import org.fleethealth.source.SourceStreamListener;
import org.fleethealth.source.SourceStreamStatus;

/**
 * A master's live event stream that the test drives: it says what the master "pushes" by calling the listener
 * fleet-health gave it ({@link #listener()}), and moves the stream up and down.
 */
public class FakeStream implements SourceStream {

	private volatile SourceStreamListener listener;

	private volatile SourceStreamStatus status = new SourceStreamStatus(SourceStreamStatus.State.NEW, Instant.EPOCH,
			null);

	@Override
	public void start(SourceStreamListener listener) {
		if (this.listener != null) {
			throw new IllegalStateException("started twice");
		}
		this.listener = listener;
		this.status = new SourceStreamStatus(SourceStreamStatus.State.CONNECTING, Instant.EPOCH, null);
	}

	/** What fleet-health listens with; {@code null} before it started the stream. */
	public SourceStreamListener listener() {
		return this.listener;
	}

	/** Connected and subscribed. */
	public void up(Instant at) {
		this.status = new SourceStreamStatus(SourceStreamStatus.State.UP, at, null);
		this.listener.streamUp(at);
	}

	/** Lost, retrying. */
	public void down(Instant at, String reason) {
		this.status = new SourceStreamStatus(SourceStreamStatus.State.DOWN, at, reason);
		this.listener.streamDown(this.status, Duration.ofSeconds(5));
	}

	@Override
	public SourceStreamStatus status() {
		return this.status;
	}

	@Override
	public void close() {
		this.status = new SourceStreamStatus(SourceStreamStatus.State.CLOSED, this.status.since(), "closed");
	}

}
