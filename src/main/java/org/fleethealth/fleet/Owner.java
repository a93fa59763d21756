package org.fleethealth.fleet;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A worker's owner, parsed from Buildbot's {@code info/admin} convention "Name &lt;email&gt;" (or a bare
 * address, or a bare name).
 */
public record Owner(String name, String email) {

	private static final Pattern NAME_AND_ADDRESS = Pattern.compile("^\\s*(.*?)\\s*<\\s*([^<>\\s]+@[^<>\\s]+)\\s*>\\s*$");

	private static final Pattern ADDRESS = Pattern.compile("^\\s*([^<>\\s]+@[^<>\\s]+)\\s*$");

	/** Parses an admin string; {@code null} when there is nothing to parse. */
	public static Owner parse(String admin) {
		if (admin == null || admin.isBlank()) {
			return null;
		}
		// Admin files are often multi-line; the contact is conventionally on the first line.
		String line = admin.strip().lines().findFirst().orElse("");
		Matcher m = NAME_AND_ADDRESS.matcher(line);
		if (m.matches()) {
			return new Owner(m.group(1).isEmpty() ? null : m.group(1), m.group(2));
		}
		m = ADDRESS.matcher(line);
		if (m.matches()) {
			return new Owner(null, m.group(1));
		}
		return new Owner(line, null);
	}

	@Override
	public String toString() {
		if (this.email == null) {
			return this.name;
		}
		return (this.name != null) ? this.name + " <" + this.email + ">" : this.email;
	}

}
