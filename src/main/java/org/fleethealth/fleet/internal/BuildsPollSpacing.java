package org.fleethealth.fleet.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * When the builds poll a master's event stream asks for runs: a moment after the first build event not yet read
 * (builds start and finish in bursts: a commit starts one build per builder), and no sooner than
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

	/** How long after a build event heard at {@code now} its builds poll should run. */
	synchronized Duration delay(Instant now) {
		if (this.last == null) {
			return BATCH;
		}
		Duration left = Duration.between(now, this.last.plus(this.interval));
		return (left.compareTo(BATCH) > 0) ? left : BATCH;
	}

	/** A builds poll the stream asked for starts at {@code at}. */
	synchronized void polled(Instant at) {
		this.last = at;
	}

}
