package org.fleethealth.fleet.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.system.FreeText;

/**
 * Fits what a master reports into its columns ({@link FreeText#fit}) and says so in the log once per master and
 * field, not on every poll: one worker's 100 KB {@code info/host} must neither fail a poll nor fill the log.
 */
public final class Truncations {

	private static final Log logger = LogFactory.getLog(Truncations.class);

	/** Past this many distinct fields logged, the log-once memory starts over (it only saves log lines). */
	private static final int REMEMBERED = 10_000;

	private final Set<String> logged = ConcurrentHashMap.newKeySet();

	/**
	 * The value fitted to {@code max} characters.
	 *
	 * @param what names the field for the log, e.g. {@code "worker 'bob' info/host"}
	 */
	String fit(String master, String what, String value, int max) {
		if (!FreeText.needsFitting(value, max)) {
			return value;
		}
		String key = master + "\n" + what;
		if (this.logged.size() > REMEMBERED) {
			this.logged.clear();
		}
		if (this.logged.add(key)) {
			logger.warn("Master '" + master + "' reports " + FreeText.oneLine(FreeText.fit(what, 300)) + " of "
					+ value.length() + " characters" + ((value.indexOf('\0') >= 0) ? " with NUL characters" : "")
					+ "; it is stored cut to " + max + " (logged once)");
		}
		return FreeText.fit(value, max);
	}

	/**
	 * Whether a name cannot be stored as it is (too long, or with NUL): a cut name would be another name, so it is left
	 * out; logged once.
	 */
	boolean tooLong(String master, String what, String name, int max) {
		if (!FreeText.needsFitting(name, max)) {
			return false;
		}
		if (this.logged.add(master + "\n" + what)) {
			logger.warn("Master '" + master + "' reports " + what + " named '" + FreeText.fit(FreeText.oneLine(name), 100)
					+ "...' that fleet-health cannot store (" + name.length() + " characters, at most " + max
					+ ", no NUL); it is left out (logged once)");
		}
		return true;
	}

}
