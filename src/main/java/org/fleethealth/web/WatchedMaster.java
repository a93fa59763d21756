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

	/** "No master 'x'; watched: a, b" (or "none is watched"), as a 404. */
	static ResponseStatusException unknown(String master, List<String> watched) {
		return new ResponseStatusException(HttpStatus.NOT_FOUND, "No master '" + master + "'; "
				+ (watched.isEmpty() ? "none is watched" : "watched: " + String.join(", ", watched)));
	}

}
