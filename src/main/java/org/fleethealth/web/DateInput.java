package org.fleethealth.web;

import java.util.regex.Pattern;

/**
 * A date typed into a form, as {@code YYYY-MM-DD} (a reply's "back by", a snooze on {@code /pruning}). Text that
 * does not parse is told apart in two ways, so the message sends the reader to the right thing: a day that does not
 * exist ({@code 2026-02-30} has the form), or text that is not a date.
 */
final class DateInput {

	private static final Pattern FORM = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

	private DateInput() {
	}

	/** Whether the text (stripped) has the form {@code YYYY-MM-DD}, whether or not it names a day. */
	static boolean hasDateForm(String typed) {
		return typed != null && FORM.matcher(typed.strip()).matches();
	}

}
