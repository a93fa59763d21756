package org.fleethealth.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.fleethealth.system.Durations;

/** Instants and durations as people read them on a page ({@code 3d 4h ago}, {@code 7d}), with the ISO form for a tooltip. */
public final class RelativeTime {

	private final Clock clock;

	RelativeTime(Clock clock) {
		this.clock = clock;
	}

	/** {@code 3d 4h ago}, {@code 5m ago}, {@code just now}, or {@code in 2h} for a moment to come. */
	public String ago(Instant at) {
		if (at == null) {
			return "never";
		}
		Duration d = Duration.between(at, this.clock.instant());
		if (d.isNegative()) {
			return "in " + Durations.human(d.negated());
		}
		return (d.compareTo(Duration.ofMinutes(1)) < 0) ? "just now" : Durations.human(d) + " ago";
	}

	/** A length of time as people read it, {@code 7d} or {@code 2h 5m} (a setting such as {@code P7D}). */
	public String span(Duration d) {
		return Durations.human(d);
	}

	/** The ISO-8601 form, {@code 2026-11-27T19:03:58Z}. */
	public String iso(Instant at) {
		return (at != null) ? at.toString() : "";
	}

}
