package org.fleethealth.fleet.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * When the builds poll a master's event stream asks for runs: a moment ({@link #BATCH}) after the first build event
 * not yet read (builds start and finish in bursts: a commit starts one build per builder), and no sooner than
 * {@code poll.stream-builds-interval} after the last one it asked for. Without that floor a busy master whose builds
 * finish one at a time, as LLVM's 4,000 a day do, would be asked for its builds after every single event: several
 * times a minute, more than polling asks.
 */
final class BuildsPollSpacing {

	// Builds finish in bursts: one poll for those heard within this long.
	static final Duration BATCH = Duration.ofSeconds(1);

	private final Duration interval;

	private Instant last;

	/** @param interval the shortest time between two builds polls the stream asks for */
	BuildsPollSpacing(Duration interval) {
		this.interval = interval;
	}

	/**
	 * Whether the builds poll a build event asked for may run at {@code now}: checked {@link #BATCH} after the first
	 * event not yet read, and every {@code BATCH} after that until it may, against the application's clock (which
	 * tests and the benchmark move by hand).
	 */
	synchronized boolean due(Instant now) {
		return this.last == null || !now.isBefore(this.last.plus(this.interval));
	}

	/** A builds poll the stream asked for starts at {@code at}. */
	synchronized void polled(Instant at) {
		this.last = at;
	}

}
