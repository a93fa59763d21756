package org.fleethealth.system;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stops the start when a {@code fleet-health.*} key names no setting: a misspelled
 * {@code fleet-health.classification.offline-afer} would otherwise be ignored without a word, and the service would
 * run on the default. The report names each such key, where it was set and the setting it most likely means.
 * <p>
 * The settings are those of the configuration metadata Spring Boot's processor writes at build time
 * ({@code META-INF/spring-configuration-metadata.json}, {@link Settings}); keys under a map or a list setting are
 * checked down to the fields of the list's records ({@code fleet-health.masters[0].url}). Configuration files,
 * command-line arguments, system properties and test properties are checked; environment variables are not (their
 * names cannot be told apart from the rest of the process's environment). Runs before any bean is made, so a
 * misspelled key is reported rather than the missing setting it leaves behind. A duration setting given as a bare
 * number ({@code 60}: 60 milliseconds to Spring Boot) stops the start as well ({@link #unitless}).
 */
@Component
class UnknownSettings implements BeanFactoryPostProcessor, EnvironmentAware, Ordered {

	private static final Log logger = LogFactory.getLog(UnknownSettings.class);

	static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("fleet-health");

	private static final Pattern BARE_NUMBER = Pattern.compile("[-+]?\\d+");

	private static final Pattern ZERO = Pattern.compile("[-+]?0+");

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		if (!(this.environment instanceof ConfigurableEnvironment env)) {
			return;
		}
		Settings settings = Settings.of(metadata(getClass().getClassLoader()), getClass().getClassLoader());
		if (settings.isEmpty()) {
			logger.warn("No " + METADATA + " with fleet-health settings on the class path (built without Spring Boot's"
					+ " configuration processor?): misspelled fleet-health.* keys are not reported");
			return;
		}
		List<String> unknown = new ArrayList<>(unknown(env, settings));
		unknown.addAll(unitless(env, settings));
		unknown.addAll(nonOptions(env));
		if (!unknown.isEmpty()) {
			throw new InvalidSettingException(String.join("\n", unknown));
		}
	}

	/** One line for each {@code fleet-health.*} key that names no setting, in the order the sources are read. */
	static List<String> unknown(ConfigurableEnvironment env, Settings settings) {
		Map<String, String> found = new LinkedHashMap<>();
		for (PropertySource<?> source : env.getPropertySources()) {
			if (!(source instanceof EnumerablePropertySource<?> enumerable) || skipped(source)) {
				continue;
			}
			for (String key : enumerable.getPropertyNames()) {
				ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
				if (PREFIX.isAncestorOf(name) && !settings.knows(name) && !found.containsKey(key)) {
					found.put(key, source.getName());
				}
			}
		}
		List<String> lines = new ArrayList<>();
		found.forEach((key, source) -> {
			String guess = settings.nearest(key);
			lines.add(key + " (set in " + where(source) + ") is not a fleet-health setting"
					+ ((guess != null) ? "; did you mean " + guess + "?" : ""));
		});
		return lines;
	}

	/**
	 * One line for each duration setting given as a bare number other than zero: Spring Boot reads {@code 60} as 60
	 * milliseconds, so {@code offline-after=60} turned a worker offline a moment after it dropped (a fresh user's
	 * trial). Read through the environment, so environment variables are checked too.
	 */
	static List<String> unitless(Environment env, Settings settings) {
		List<String> lines = new ArrayList<>();
		for (String name : settings.durations()) {
			String value = env.getProperty(name);
			String text = (value != null) ? value.strip() : "";
			if (BARE_NUMBER.matcher(text).matches() && !ZERO.matcher(text).matches()) {
				lines.add(name + "=" + text + " has no unit, and would be read as " + text + " milliseconds; give it one: "
						+ text + "s, " + text + "m, " + text + "h or " + text + "d, or ISO-8601 such as PT" + text + "M");
			}
		}
		return lines;
	}

	/**
	 * One line if the command line has arguments that are not {@code --name=value}: the service takes none, and
	 * they are most often the rest of a value with spaces that the shell or the Maven plugin split
	 * ({@code --fleet-health.owners[dave-macos]=Dave Dunn <dave@example.org>} unquoted set the owner to "Dave" and
	 * dropped the rest without a word, in a trial).
	 */
	static List<String> nonOptions(ConfigurableEnvironment env) {
		PropertySource<?> commandLine = env.getPropertySources()
			.get(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME);
		Object args = (commandLine != null)
				? commandLine.getProperty(CommandLinePropertySource.DEFAULT_NON_OPTION_ARGS_PROPERTY_NAME) : null;
		if (args == null || args.toString().isBlank()) {
			return List.of();
		}
		return List.of("the command line has arguments that are not settings: " + args + ". Settings are given as"
				+ " --name=value, and a value with spaces is quoted whole (in -Dspring-boot.run.arguments=\"...\", in single"
				+ " quotes: '--fleet-health.owners[dave-macos]=Dave Dunn <dave@example.org>')");
	}

	/** A property source's name as a user knows it. */
	private static String where(String source) {
		return switch (source) {
			case CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME -> "the command line";
			case StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME -> "the system properties (-D)";
			default -> source;
		};
	}

	/**
	 * Environment variables (any name may be there for another program) and Spring Boot's view of all the other
	 * sources together.
	 */
	private static boolean skipped(PropertySource<?> source) {
		return StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(source.getName())
				|| ConfigurationPropertySources.isAttachedConfigurationPropertySource(source);
	}

	/** Reads every copy of the metadata on the class path (the application's; Spring Boot's own jars have theirs). */
	static List<JsonNode> metadata(ClassLoader loader) {
		List<JsonNode> all = new ArrayList<>();
		JsonMapper mapper = JsonMapper.builder().build();
		try {
			Enumeration<URL> urls = loader.getResources(METADATA);
			while (urls.hasMoreElements()) {
				try (InputStream in = urls.nextElement().openStream()) {
					all.add(mapper.readTree(in));
				}
			}
		}
		catch (IOException ex) {
			logger.warn("Could not read " + METADATA + ": misspelled fleet-health.* keys are not reported", ex);
			return List.of();
		}
		return all;
	}

}
