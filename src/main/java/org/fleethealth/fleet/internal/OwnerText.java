package org.fleethealth.fleet.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * Reads addresses out of owner text the way people write it in a worker's {@code info/admin} or in the
 * configuration: {@code Name <addr>}, a bare address, {@code addr (Name)}, several of them separated by commas or
 * lines, with a {@code mailto:} here and there, or obfuscated ({@code jane AT example DOT org},
 * {@code jane at example.org}, {@code jane(at)example.org}). Only what {@link InternetAddress} accepts, with a
 * domain that has a top-level domain, counts as an address; an obfuscated form is read back only when that
 * gives such an address. Plain Java, no state.
 */
public final class OwnerText {

	/** Characters of an address's local part, as a character class body ('-' last, so it is no range). */
	private static final String LOCAL = "A-Za-z0-9._%+'!#$*=?^`{|}~";

	private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";

	/** A literal address, not inside a word and not the user part of a URL ({@code https://jane@host}). */
	private static final Pattern ADDRESS = Pattern
		.compile("(?<![" + LOCAL + "/:@-])([" + LOCAL + "-]+)@(" + LABEL + "(?:\\." + LABEL + ")+)(?![A-Za-z0-9@-])");

	private static final String AT = "(?:\\s*[(\\[{<]\\s*at\\s*[)\\]}>]\\s*|\\s+at\\s+)";

	private static final String DOT = "(?:\\s*[(\\[{<]\\s*dot\\s*[)\\]}>]\\s*|\\s+dot\\s+|\\.)";

	private static final Pattern DOT_FORM = Pattern.compile(DOT, Pattern.CASE_INSENSITIVE);

	private static final Pattern OBFUSCATED = Pattern.compile(
			"(?<![" + LOCAL + "/:@-])([" + LOCAL + "-]+)" + AT + "(" + LABEL + "(?:" + DOT + LABEL + ")+)(?![A-Za-z0-9@-])",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern NAME_AFTER = Pattern.compile("^\\s*>?\\s*\\(([^()\\n]{1,100})\\)");

	/** What separates a name from the address before it (a closing bracket) and from its own (an opening one). */
	private static final String LEADING = " \t\r\n,;|/&>)]\"':";

	private static final String TRAILING = " \t\r\n,;|/&<([\"':";

	private static final int MAX_NAME = 100;

	private OwnerText() {
	}

	/** One address read from the text, with the name written before (or after) it. */
	record Read(String name, String email, boolean deobfuscated) {
	}

	/** Every valid address in the text, in order, each once. */
	static List<Read> read(String text) {
		if (text == null || text.isBlank()) {
			return List.of();
		}
		String clean = text.replaceAll("(?i)mailto:", "");
		List<Read> found = matches(clean, ADDRESS, false);
		if (found.isEmpty()) {
			found = matches(clean, OBFUSCATED, true);
		}
		Map<String, Read> unique = new LinkedHashMap<>();
		found.forEach((r) -> unique.putIfAbsent(r.email().toLowerCase(Locale.ROOT), r));
		return List.copyOf(unique.values());
	}

	private static List<Read> matches(String text, Pattern pattern, boolean obfuscated) {
		List<Read> found = new ArrayList<>();
		List<int[]> spans = new ArrayList<>();
		List<String> emails = new ArrayList<>();
		Matcher m = pattern.matcher(text);
		while (m.find()) {
			String domain = obfuscated ? DOT_FORM.matcher(m.group(2)).replaceAll(".") : m.group(2);
			String email = m.group(1) + "@" + domain;
			if (isAddress(email)) {
				spans.add(new int[] { m.start(), m.end() });
				emails.add(email);
			}
		}
		for (int i = 0; i < spans.size(); i++) {
			int from = (i == 0) ? 0 : spans.get(i - 1)[1];
			String name = name(text.substring(from, spans.get(i)[0]));
			if (name == null) {
				int to = (i + 1 < spans.size()) ? spans.get(i + 1)[0] : text.length();
				Matcher after = NAME_AFTER.matcher(text.substring(spans.get(i)[1], to));
				name = after.find() ? name(after.group(1)) : null;
			}
			found.add(new Read(name, emails.get(i), obfuscated));
		}
		return found;
	}

	/** The name in the text before an address: its last non-empty line, without separators; {@code null} if none. */
	private static String name(String before) {
		String[] lines = before.split("\\R");
		String name = "";
		for (int i = lines.length - 1; i >= 0 && name.isEmpty(); i--) {
			name = strip(lines[i]);
		}
		String lower = name.toLowerCase(Locale.ROOT);
		if (lower.startsWith("and ") || lower.startsWith("or ")) {
			name = strip(name.substring(name.indexOf(' ')));
		}
		if (name.isEmpty() || name.length() > MAX_NAME || name.contains("://")) {
			return null;
		}
		return name;
	}

	private static String strip(String s) {
		int start = 0;
		int end = s.length();
		while (start < end && LEADING.indexOf(s.charAt(start)) >= 0) {
			start++;
		}
		while (end > start && TRAILING.indexOf(s.charAt(end - 1)) >= 0) {
			end--;
		}
		return s.substring(start, end).strip();
	}

	/**
	 * Whether the text is a mail address: {@link InternetAddress} accepts it (strictly, no display name) and its
	 * domain ends in a top-level domain of letters (or an IDN {@code xn--} one).
	 */
	static boolean isAddress(String email) {
		if (email == null || email.length() > 254) {
			return false;
		}
		try {
			InternetAddress parsed = new InternetAddress(email, true);
			parsed.validate();
			if (!email.equals(parsed.getAddress())) {
				return false;
			}
		}
		catch (AddressException ex) {
			return false;
		}
		int at = email.lastIndexOf('@');
		if (at < 1 || at > 64) {
			return false;
		}
		String domain = email.substring(at + 1);
		int dot = domain.lastIndexOf('.');
		if (dot < 1) {
			return false;
		}
		String tld = domain.substring(dot + 1);
		return tld.length() >= 2 && (tld.chars().allMatch(Character::isLetter) || tld.startsWith("xn--"));
	}

	/** The top-level domain of an address, lower case. */
	static String topLevelDomain(String email) {
		return email.substring(email.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
	}

}
