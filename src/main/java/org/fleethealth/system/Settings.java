package org.fleethealth.system;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.commons.text.similarity.LevenshteinDistance;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import tools.jackson.databind.JsonNode;

/**
 * The {@code fleet-health.*} settings there are, from the configuration metadata ({@link UnknownSettings}): which
 * keys name one, and which setting a key that names none most likely means.
 */
final class Settings {

	/**
	 * One setting of the metadata.
	 *
	 * @param name its name, as {@code fleet-health.poll.builds-interval}
	 * @param container whether keys go on under it (a map or a list: {@code owners[bob]}, {@code masters[0].url})
	 * @param fields for a list of records, the records' fields as keys name them ({@code url}); else {@code null}:
	 * anything may follow
	 * @param duration whether it is a {@link java.time.Duration}
	 */
	record Setting(ConfigurationPropertyName name, boolean container, List<String> fields, boolean duration) {

		/** Whether the key is this setting or one under it. */
		boolean covers(ConfigurationPropertyName key) {
			if (this.name.equals(key)) {
				return true;
			}
			if (!this.container || !this.name.isAncestorOf(key)) {
				return false;
			}
			int n = this.name.getNumberOfElements();
			if (this.fields == null || key.getNumberOfElements() <= n + 1) {
				return true;
			}
			String field = key.getElement(n + 1, Form.UNIFORM);
			return this.fields.stream().anyMatch((f) -> uniform(f).equals(field));
		}

	}

	private final List<Setting> settings;

	private Settings(List<Setting> settings) {
		this.settings = settings;
	}

	/** The {@code fleet-health.*} properties of the metadata documents given. */
	static Settings of(List<JsonNode> metadata, ClassLoader loader) {
		List<Setting> settings = new ArrayList<>();
		for (JsonNode document : metadata) {
			for (JsonNode property : document.path("properties")) {
				String name = property.path("name").asString("");
				if (name.startsWith("fleet-health.") && ConfigurationPropertyName.isValid(name)) {
					String type = property.path("type").asString("");
					settings.add(new Setting(ConfigurationPropertyName.of(name), container(type), fields(type, loader),
							type.equals("java.time.Duration")));
				}
			}
		}
		return new Settings(List.copyOf(settings));
	}

	boolean isEmpty() {
		return this.settings.isEmpty();
	}

	/** The names of the settings that are durations, as {@code fleet-health.classification.offline-after}. */
	List<String> durations() {
		return this.settings.stream().filter(Setting::duration).map((s) -> s.name().toString()).toList();
	}

	/** Whether the key names a setting or a key under a map or list setting. */
	boolean knows(ConfigurationPropertyName key) {
		return this.settings.stream().anyMatch((s) -> s.covers(key));
	}

	/**
	 * The setting a key that names none most likely means: the one setting whose last part is the key's (a key
	 * missing its group, as {@code fleet-health.offline-after}), else the nearest in spelling, if it is near enough;
	 * {@code null} if none is.
	 */
	String nearest(String key) {
		ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
		// A map or list setting misspelled before its key or index: 'owner[bob]' for 'owners[bob]', and
		// 'downtimes[0].from' for 'downtime[0].from' (not 'mail.from', the one other setting named 'from').
		int bracket = key.indexOf('[');
		if (bracket > 0 && !knows(ConfigurationPropertyName.adapt(key.substring(0, bracket), '.'))) {
			String container = closest(key.substring(0, bracket).toLowerCase(Locale.ROOT), this.settings.stream()
				.filter(Setting::container)
				.map((c) -> c.name().toString())
				.toList(), 2);
			if (container != null) {
				return container + key.substring(bracket);
			}
		}
		List<String> candidates = candidates(name);
		String last = name.getLastElement(Form.UNIFORM);
		List<String> sameLast = candidates.stream()
			.filter((c) -> ConfigurationPropertyName.adapt(c, '.').getLastElement(Form.UNIFORM).equals(last))
			.toList();
		if (sameLast.size() == 1) {
			return sameLast.get(0);
		}
		String lower = key.toLowerCase(Locale.ROOT);
		// A key that stops short of a setting's name: 'masters[0].user' for '.username', 'login.max-failures' for
		// '-per-client' or '-per-user'.
		List<String> longer = candidates.stream().filter((c) -> c.startsWith(lower) && c.length() > lower.length()).toList();
		if (!longer.isEmpty() && longer.size() <= 2) {
			return String.join(" or ", longer);
		}
		// Near enough: two edits in a short key, at most four in a long one ('mail.enabled' is not 'poll.enabled').
		return closest(lower, candidates, Math.min(4, Math.max(2, key.length() / 10)));
	}

	/** The candidate nearest in spelling within {@code threshold} edits, or {@code null}. */
	private static String closest(String lower, List<String> candidates, int threshold) {
		LevenshteinDistance distance = new LevenshteinDistance(threshold);
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String candidate : candidates) {
			int d = distance.apply(lower, candidate);
			if (d >= 0 && d < bestDistance) {
				best = candidate;
				bestDistance = d;
			}
		}
		return best;
	}

	/** Every setting's name, and for a list of records the key's own index with each field. */
	private List<String> candidates(ConfigurationPropertyName key) {
		List<String> candidates = new ArrayList<>();
		for (Setting s : this.settings) {
			candidates.add(s.name().toString());
			int n = s.name().getNumberOfElements();
			if (s.fields() != null && s.name().isAncestorOf(key) && key.isNumericIndex(n)) {
				String element = s.name() + "[" + key.getElement(n, Form.ORIGINAL) + "].";
				s.fields().forEach((f) -> candidates.add(element + f));
			}
		}
		return candidates;
	}

	private static boolean container(String type) {
		return type.startsWith("java.util.Map<") || type.startsWith("java.util.List<")
				|| type.startsWith("java.util.Set<") || type.startsWith("java.util.Collection<") || type.endsWith("[]");
	}

	/** The fields of a list's records, in the form keys name them ({@code public-url}), or {@code null}. */
	private static List<String> fields(String type, ClassLoader loader) {
		if (!type.startsWith("java.util.List<") || !type.endsWith(">")) {
			return null;
		}
		String element = type.substring("java.util.List<".length(), type.length() - 1);
		try {
			Class<?> record = Class.forName(element, false, loader);
			if (!record.isRecord()) {
				return null;
			}
			return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).map(Settings::dashed).toList();
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return null;
		}
	}

	private static String dashed(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	private static String uniform(String dashed) {
		return dashed.replace("-", "").toLowerCase(Locale.ROOT);
	}

}
