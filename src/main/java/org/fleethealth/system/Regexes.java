package org.fleethealth.system;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Settings that hold regular expressions, checked where they are bound: one that does not compile stops the start
 * with Spring Boot's report naming the setting and the expression, not a stack trace from the first bean that uses
 * it.
 */
public final class Regexes {

	private Regexes() {
	}

	/**
	 * Compiles each expression case-insensitively.
	 *
	 * @param property the setting's full name, for the message ({@code fleet-health.classification.branch-tags})
	 * @throws IllegalArgumentException naming the setting, the expression and what is wrong with it
	 */
	public static List<Pattern> compile(String property, List<String> regexes) {
		return regexes.stream().map((regex) -> compile(property, regex)).toList();
	}

	private static Pattern compile(String property, String regex) {
		try {
			return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
		}
		catch (PatternSyntaxException ex) {
			// No cause: Spring Boot's report on a failed binding gives the innermost cause's message, which would not
			// name the setting.
			throw new IllegalArgumentException(property + ": '" + regex + "' is not a regular expression: "
					+ ex.getDescription() + ((ex.getIndex() >= 0) ? " near index " + ex.getIndex() : ""));
		}
	}

}
