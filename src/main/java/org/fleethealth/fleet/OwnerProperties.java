package org.fleethealth.fleet;

import java.util.List;

import org.fleethealth.system.Regexes;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Owner addresses never to mail, besides the built-in placeholders. Under {@code fleet-health.mail} with the other
 * mail settings, but read here: owners are resolved where workers are read, so that the API, the pages and the
 * metrics' {@code owner} label show the same owner that mail goes to.
 *
 * @param ignoreOwnerPatterns case-insensitive regular expressions; an owner address that one of them matches in
 * full is treated as a placeholder (shown, never mailed), e.g. {@code .*@users\.noreply\.github\.com}
 */
@Validated
@ConfigurationProperties("fleet-health.mail")
public record OwnerProperties(List<String> ignoreOwnerPatterns) {

	public OwnerProperties {
		ignoreOwnerPatterns = (ignoreOwnerPatterns != null) ? List.copyOf(ignoreOwnerPatterns) : List.of();
		Regexes.compile("fleet-health.mail.ignore-owner-patterns",
				ignoreOwnerPatterns.stream().map(String::strip).toList());
	}

}
