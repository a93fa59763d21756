package org.fleethealth.web;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** The 404 of a page or an API call that names a master fleet-health does not watch, the same everywhere. */
final class NoSuchMaster {

	private NoSuchMaster() {
	}

	/** "No master 'x'; watched: a, b" (or "none is watched"), as a 404. */
	static ResponseStatusException of(String master, List<String> watched) {
		return new ResponseStatusException(HttpStatus.NOT_FOUND, "No master '" + master + "'; "
				+ (watched.isEmpty() ? "none is watched" : "watched: " + String.join(", ", watched)));
	}

}
