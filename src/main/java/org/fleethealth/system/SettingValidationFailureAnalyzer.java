package org.fleethealth.system;

import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Reports a {@code fleet-health.*} setting that fails its constraints as Spring Boot does, naming the setting as it is
 * written: Spring Boot's own report names a record component in Java's spelling
 * ({@code fleet-health.classification.offlineAfter}), a setting that README.md and the "Origin" line spell
 * {@code offline-after}. Other prefixes are left to Spring Boot. Registered in {@code META-INF/spring.factories}.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class SettingValidationFailureAnalyzer extends AbstractFailureAnalyzer<BindValidationException> {

	private static final String PREFIX = "fleet-health";

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BindValidationException cause) {
		ValidationErrors errors = cause.getValidationErrors();
		ConfigurationPropertyName name = errors.getName();
		if (!name.toString().equals(PREFIX) && !name.toString().startsWith(PREFIX + ".")) {
			return null;
		}
		StringBuilder description = new StringBuilder("Binding to target ").append(name).append(" failed:\n");
		for (ObjectError error : errors) {
			description.append('\n');
			if (error instanceof FieldError field) {
				String property = name + "." + kebab(field.getField());
				description.append("    Property: ").append(property).append('\n');
				description.append("    Value: \"").append(written(errors, property, field.getRejectedValue())).append("\"\n");
			}
			Origin origin = Origin.from(error);
			if (origin != null) {
				description.append("    Origin: ").append(origin).append('\n');
			}
			description.append("    Reason: ").append(error.getDefaultMessage()).append('\n');
		}
		return new FailureAnalysis(description.toString(), InvalidSettingFailureAnalyzer.ACTION, cause);
	}

	/**
	 * The value as the setting was written ({@code -2m}), where the binder kept it; else as bound ({@code PT-2M}, which
	 * a new user did not recognise as theirs).
	 */
	static Object written(ValidationErrors errors, String property, Object bound) {
		return errors.getBoundProperties()
			.stream()
			.filter((p) -> p.getName().toString().equals(property) && p.getValue() != null)
			.map(ConfigurationProperty::getValue)
			.findFirst()
			.orElse(bound);
	}

	/** {@code offlineAfter} as a setting is written: {@code offline-after}; indexes and dots are kept. */
	static String kebab(String field) {
		StringBuilder out = new StringBuilder(field.length() + 8);
		for (int i = 0; i < field.length(); i++) {
			char c = field.charAt(i);
			if (Character.isUpperCase(c)) {
				if (i > 0 && field.charAt(i - 1) != '.' && field.charAt(i - 1) != '[') {
					out.append('-');
				}
				out.append(Character.toLowerCase(c));
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

}
