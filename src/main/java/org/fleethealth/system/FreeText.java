package org.fleethealth.system;

import java.util.ArrayList;
import java.util.List;

/**
 * Text that people typed somewhere fleet-health does not control (a worker's {@code info/admin} and
 * {@code info/host}, builder names and tags, step names) made storable: at most so many characters, never a
 * half of a surrogate pair, and without NUL (PostgreSQL refuses it in text). Escaping is left to where text is
 * shown (Thymeleaf, Jackson, the Prometheus writer): what is stored is what was sent, only shorter.
 */
public final class FreeText {

	private FreeText() {
	}

	/** The text cut to at most {@code max} characters, without NUL; {@code null} stays {@code null}. */
	public static String fit(String text, int max) {
		if (text == null) {
			return null;
		}
		String clean = (text.indexOf('\0') >= 0) ? text.replace("\0", "") : text;
		if (clean.length() <= max) {
			return clean;
		}
		int end = max;
		if (end > 0 && Character.isHighSurrogate(clean.charAt(end - 1))) {
			end--;
		}
		return clean.substring(0, end);
	}

	/**
	 * The text in at most {@code max} characters for a reader: when it is longer, cut at the last space within the
	 * last 40 characters that fit (or where it must) and ended with "…", so that it does not stop mid-word unmarked.
	 */
	public static String abbreviate(String text, int max) {
		String clean = fit(text, Integer.MAX_VALUE);
		if (clean == null || clean.length() <= max) {
			return clean;
		}
		String cut = fit(clean, max - 1);
		int space = cut.lastIndexOf(' ');
		if (space > 0 && space >= cut.length() - 40) {
			cut = cut.substring(0, space);
		}
		return cut.stripTrailing() + "…";
	}

	/** Whether {@link #fit} would change the text. */
	public static boolean needsFitting(String text, int max) {
		return text != null && (text.length() > max || text.indexOf('\0') >= 0);
	}

	/**
	 * Items joined with a separator in at most {@code max} characters: whole items only, the last one replaced by
	 * "... and N more" when they do not all fit. Each item is cut to {@code max / 4} first, so that one absurdly
	 * long item cannot push out all the others.
	 */
	public static String join(List<String> items, String separator, int max) {
		List<String> kept = new ArrayList<>();
		int length = 0;
		for (int i = 0; i < items.size(); i++) {
			String item = fit(items.get(i), Math.max(1, max / 4));
			int added = (kept.isEmpty() ? 0 : separator.length()) + item.length();
			String more = separator + "... and " + (items.size() - i) + " more";
			boolean last = i == items.size() - 1;
			if (length + added + (last ? 0 : more.length()) > max) {
				String rest = (kept.isEmpty() ? "" : separator) + "... and " + (items.size() - i) + " more";
				return String.join(separator, kept) + rest;
			}
			kept.add(item);
			length += added;
		}
		return String.join(separator, kept);
	}

	/** The text on one line: line breaks and other control characters become spaces (for mail text and headers). */
	public static String oneLine(String text) {
		if (text == null) {
			return null;
		}
		StringBuilder out = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			out.append((Character.isISOControl(c) || c == '\u2028' || c == '\u2029') ? ' ' : c);
		}
		return out.toString();
	}

}
