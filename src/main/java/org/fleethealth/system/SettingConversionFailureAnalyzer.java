package org.fleethealth.system;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.ConversionFailedException;

/**
 * Reports a {@code fleet-health.*} setting whose text is not of its type (a duration, a number, true or false, one of
 * a list) in words, with how to write one. Spring Boot's own report gives the conversion's Java types, annotations
 * and all ("failed to convert java.lang.String to @...DefaultValue @...NotNull @...PositiveDuration
 * java.time.Duration"). Other prefixes and other binding failures are left to Spring Boot. Registered in
 * {@code META-INF/spring.factories}.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class SettingConversionFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

	private static final String PREFIX = "fleet-health";

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		String name = cause.getName().toString();
		ConversionFailedException conversion = findCause(cause, ConversionFailedException.class);
		if (conversion == null || !(name.equals(PREFIX) || name.startsWith(PREFIX + "."))) {
			return null;
		}
		Class<?> type = conversion.getTargetType().getObjectType();
		StringBuilder description = new StringBuilder("The setting ").append(name).append(" is not ")
			.append(expected(type)).append(":\n\n");
		description.append("    Property: ").append(name).append('\n');
		ConfigurationProperty property = cause.getProperty();
		if (property != null) {
			description.append("    Value: \"").append(property.getValue()).append("\"\n");
			if (property.getOrigin() != null) {
				description.append("    Origin: ").append(property.getOrigin()).append('\n');
			}
		}
		Throwable why = (conversion.getCause() != null) ? conversion.getCause() : conversion;
		Throwable root = why;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		description.append("    Reason: ").append(why.getMessage());
		// The root's words, where the message above does not quote them already (a URL's did, twice over).
		if (root != why && root.getMessage() != null && !String.valueOf(why.getMessage()).contains(root.getMessage())) {
			description.append(" (").append(root.getMessage()).append(')');
		}
		description.append('\n');
		return new FailureAnalysis(description.toString(), InvalidSettingFailureAnalyzer.ACTION, cause);
	}

	/** What a value of the type looks like, in words, with examples where the form is not obvious. */
	static String expected(Class<?> type) {
		if (type == Duration.class) {
			return "a duration (write it as 90s, 10m, 1h or 7d, or in ISO-8601 as PT10M or P7D)";
		}
		if (type == URI.class) {
			return "a URL, given whole with its scheme (such as http://127.0.0.1:8010/)";
		}
		if (type == Boolean.class) {
			return "true or false";
		}
		if (type == Double.class || type == Float.class) {
			return "a number (such as 0.2)";
		}
		if (Number.class.isAssignableFrom(type)) {
			return "a whole number";
		}
		if (type.isEnum()) {
			return "one of " + Arrays.stream(type.getEnumConstants())
				.map((c) -> ((Enum<?>) c).name().toLowerCase().replace('_', '-'))
				.collect(Collectors.joining(", "));
		}
		return "a " + type.getSimpleName();
	}

}
