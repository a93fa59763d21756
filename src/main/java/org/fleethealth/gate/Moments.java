package org.fleethealth.gate;

import java.time.Duration;

/** Durations as people read them in reasons: {@code 45m}, {@code 6h}, {@code 3d 4h}. */
final class Moments {

	private Moments() {
	}

	static String human(Duration d) {
		if (d.isNegative()) {
			d = Duration.ZERO;
		}
		long days = d.toDays();
		long hours = d.toHoursPart();
		long minutes = d.toMinutesPart();
		if (days > 0) {
			return (hours > 0) ? days + "d " + hours + "h" : days + "d";
		}
		if (hours > 0) {
			return (minutes > 0) ? hours + "h " + minutes + "m" : hours + "h";
		}
		return (minutes > 0) ? minutes + "m" : d.toSecondsPart() + "s";
	}

	/** ISO-8601, with whole days written as days ({@code P7D} rather than {@code PT168H}). */
	static String iso(Duration d) {
		return (!d.isZero() && d.toSeconds() % 86400 == 0) ? "P" + d.toDays() + "D" : d.toString();
	}

}
