package org.fleethealth.system;

import java.util.Comparator;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports entries of a {@code fleet-health.*} list ({@code masters}, {@code security.users}, {@code downtime}) that
 * were left over, and why: Spring Boot takes a list whole from the one place that sets it with the highest
 * precedence, numbered from 0 without a gap. Its own report ("Binding to target [Bindable@331b0bfd type =
 * java.util.List...] failed ... were left unbound") told a new user nothing of that: they had added
 * {@code masters[1]} on the command line beside a file with {@code masters[0]}, or skipped an index. Registered in
 * {@code META-INF/spring.factories}.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class UnboundListFailureAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException> {

	private static final String PREFIX = "fleet-health.";

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
		BindException bind = findCause(rootFailure, BindException.class);
		String list = (bind != null) ? bind.getName().toString() : null;
		if (list == null || !list.startsWith(PREFIX)) {
			return null;
		}
		StringBuilder description = new StringBuilder("Entries of the list ").append(list)
			.append(" were set but not read:\n\n");
		cause.getUnboundProperties()
			.stream()
			.sorted(Comparator.comparing((ConfigurationProperty p) -> p.getName().toString()))
			.forEach((p) -> description.append("    ").append(p.getName()).append("=").append(shown(p))
				.append((p.getOrigin() != null) ? " (" + p.getOrigin() + ")" : "").append('\n'));
		description.append("\nSpring Boot takes a list whole from the one place with the highest precedence that sets")
			.append(" any entry of it (command-line arguments, then environment variables, then application.properties")
			.append(" files), and ignores the entries other places set. It reads that place's entries from [0] up to")
			.append(" the first missing index: those after the gap are left over, as above. A masters[1] on the")
			.append(" command line beside a file with masters[0] is such a gap.\n");
		return new FailureAnalysis(description.toString(), "Give every entry of " + list + " in one place, numbered "
				+ list.substring(list.lastIndexOf('.') + 1) + "[0], [1], [2]... (README.md, 'Run it').", cause);
	}

	/** A value as the report shows it: a password (even a hash) is not written to the log. */
	private static Object shown(ConfigurationProperty property) {
		String name = property.getName().toString();
		return (name.contains("password") || name.contains("secret") || name.contains("token")) ? "******"
				: property.getValue();
	}

}
