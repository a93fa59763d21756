package org.fleethealth.web;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Which master a page or an API call means, and its errors, the same everywhere: a master named must be watched
 * (404), and one left out is the only one watched (400 among several, 404 without any).
 */
final class WatchedMaster {

	private WatchedMaster() {
	}

	/**
	 * The master named, or the only one watched when {@code master} is {@code null} or blank.
	 *
	 * @throws ResponseStatusException 404 for a master not watched or when none is, 400 when none is named among
	 * several
	 */
	static String of(String master, List<String> watched) {
		if (master != null && !master.isBlank()) {
			if (!watched.contains(master)) {
				throw unknown(master, watched);
			}
			return master;
		}
		if (watched.size() == 1) {
			return watched.get(0);
		}
		if (watched.isEmpty()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No master is configured");
		}
		throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
				"Parameter 'master' is required; watched masters: " + String.join(", ", watched));
	}

	/**
	 * The master named, or the only one with a release gate when {@code master} is {@code null} or blank, as
	 * {@link #of}; a watched master without a gate ({@code fleet-health.gate.excluded-masters}) is a 404 that says so.
	 *
	 * @param gated the watched masters with a release gate
	 * @param ungated the watched masters without one
	 */
	static String gated(String master, List<String> gated, List<String> ungated) {
		if (master != null && ungated.contains(master.strip())) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "Master '" + master.strip()
					+ "' has no release gate: it is in fleet-health.gate.excluded-masters"
					+ (gated.isEmpty() ? "" : "; masters with one: " + String.join(", ", gated)));
		}
		if ((master == null || master.isBlank()) && gated.isEmpty() && !ungated.isEmpty()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No watched master has a release gate: fleet-health.gate.excluded-masters lists "
							+ String.join(", ", ungated));
		}
		if (master != null && !master.isBlank() && !gated.contains(master)) {
			// Not watched at all: name every watched master, not only those with a gate.
			List<String> watched = new java.util.ArrayList<>(gated);
			watched.addAll(ungated);
			throw unknown(master, watched);
		}
		return of(master, gated);
	}

	/** "No master 'x'; watched: a, b" (or "none is watched"), as a 404. */
	static ResponseStatusException unknown(String master, List<String> watched) {
		return new ResponseStatusException(HttpStatus.NOT_FOUND, "No master '" + master + "'; "
				+ (watched.isEmpty() ? "none is watched" : "watched: " + String.join(", ", watched)));
	}

}
