package org.fleethealth.system;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * How durations and instants are written for people, everywhere (evidence, pages, mails, gate reasons): the two
 * largest units of a duration ({@code 3d 4h}, {@code 2h 5m}, {@code 7m}, {@code 40s}), ISO-8601 for settings, and
 * instants to the second.
 */
public final class Durations {

	private Durations() {
	}

	/**
	 * The two largest units, the second left out when it is zero: {@code 3d 4h}, {@code 3d}, {@code 2h 5m},
	 * {@code 7m}, {@code 40s}. A negative duration reads as {@code 0s}.
	 */
	public static String human(Duration d) {
		if (d == null || d.isNegative()) {
			d = Duration.ZERO;
		}
		long days = d.toDays();
		int hours = d.toHoursPart();
		int minutes = d.toMinutesPart();
		if (days > 0) {
			return (hours > 0) ? days + "d " + hours + "h" : days + "d";
		}
		if (hours > 0) {
			return (minutes > 0) ? hours + "h " + minutes + "m" : hours + "h";
		}
		return (minutes > 0) ? minutes + "m" : d.toSecondsPart() + "s";
	}

	/** The time from {@code then} to {@code now}, as {@link #human(Duration)} writes it. */
	public static String between(Instant then, Instant now) {
		return human(Duration.between(then, now));
	}

	/** ISO-8601, whole days written as days ({@code P7D} rather than {@code PT168H}), as settings are written. */
	public static String iso(Duration d) {
		return (!d.isZero() && d.toSeconds() % 86400 == 0) ? "P" + d.toDays() + "D" : d.toString();
	}

	/** An instant to the second ({@code 2026-11-27T19:03:58Z}): people read these. */
	public static String at(Instant instant) {
		return instant.truncatedTo(ChronoUnit.SECONDS).toString();
	}

	/** The later of two instants, either of which may be {@code null}. */
	public static Instant latest(Instant a, Instant b) {
		if (a == null) {
			return b;
		}
		return (b == null || a.isAfter(b)) ? a : b;
	}

	/**
	 * A doubling wait: {@code initial} after the first failure, twice that after the second, and so on up to
	 * {@code max}.
	 *
	 * @param failures consecutive failures so far, 1 or more
	 */
	public static Duration backoff(Duration initial, int failures, Duration max) {
		Duration wait = initial;
		for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
			wait = wait.multipliedBy(2);
		}
		return (wait.compareTo(max) > 0) ? max : wait;
	}

}
