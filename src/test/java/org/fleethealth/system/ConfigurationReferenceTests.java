package org.fleethealth.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fleethealth.Readme;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Configuration reference" and the settings the build knows ({@code spring-configuration-metadata.json})
 * say the same: every {@code fleet-health.*} setting has a row, every row names a setting, and a default written as
 * one value is the setting's default. A setting added without its row, a row left behind by a rename, or a default
 * changed in one place only fails here, not in a user's configuration.
 */
class ConfigurationReferenceTests {

	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	private final List<JsonNode> metadata = UnknownSettings.metadata(getClass().getClassLoader());

	private final Settings settings = Settings.of(this.metadata, getClass().getClassLoader());

	private final Map<String, String> documented = documented();

	@Test
	void everySettingHasARow() {
		List<String> undocumented = new ArrayList<>();
		for (JsonNode property : properties()) {
			String name = property.path("name").asString();
			boolean rowed = this.documented.keySet().stream().anyMatch((row) -> row.equals(name)
					|| row.startsWith(name + ".") || row.startsWith(name + "["));
			if (!rowed) {
				undocumented.add(name);
			}
		}
		assertThat(undocumented).as("settings without a row in the README's configuration reference").isEmpty();
	}

	@Test
	void everyRowNamesASetting() {
		assertThat(this.documented).as("the README documents settings").hasSizeGreaterThan(90);
		List<String> unknown = this.documented.keySet()
			.stream()
			.filter((row) -> !this.settings.knows(ConfigurationPropertyName.adapt(row.replace("[N]", "[0]")
				.replaceAll("\\[<[^>]+>]", "[x]"), '.')))
			.toList();
		assertThat(unknown).as("rows of the README's configuration reference that name no setting").isEmpty();
	}

	@Test
	void aDefaultWrittenAsOneValueIsTheSettingsDefault() {
		List<String> differing = new ArrayList<>();
		int compared = 0;
		for (JsonNode property : properties()) {
			JsonNode value = property.path("defaultValue");
			String row = this.documented.get(property.path("name").asString());
			Matcher single = (row != null) ? CODE.matcher(row) : null;
			if (value.isMissingNode() || value.isArray() || single == null || !single.matches()) {
				continue;
			}
			compared++;
			if (!plain(single.group(1)).equalsIgnoreCase(plain(value.asString()))) {
				differing.add(property.path("name").asString() + ": README " + row + ", the build " + value.asString());
			}
		}
		assertThat(compared).as("defaults compared").isGreaterThan(50);
		assertThat(differing).as("defaults the README gives otherwise than the code").isEmpty();
	}

	/** A list as the metadata writes it ("[a, b]") and as the README does ("a,b") compare equal. */
	private static String plain(String value) {
		return (value.startsWith("[") && value.endsWith("]"))
				? value.substring(1, value.length() - 1).replace(", ", ",") : value;
	}

	private List<JsonNode> properties() {
		List<JsonNode> properties = new ArrayList<>();
		for (JsonNode document : this.metadata) {
			for (JsonNode property : document.path("properties")) {
				if (property.path("name").asString().startsWith("fleet-health.")) {
					properties.add(property);
				}
			}
		}
		return properties;
	}

	/**
	 * The names the reference's rows give, with each row's default cell. A row may name several:
	 * "`fleet-health.masters[N].username` / `.password`", "`fleet-health.mail.retry-initial` / `retry-max`".
	 */
	private static Map<String, String> documented() {
		Map<String, String> rows = new LinkedHashMap<>();
		for (String line : Readme.section("Configuration reference").split("\n")) {
			if (!line.startsWith("| `fleet-health.")) {
				continue;
			}
			String[] cells = line.split("(?<!\\\\)\\|");
			String defaultCell = cells[2].strip();
			Matcher names = CODE.matcher(cells[1]);
			String first = null;
			while (names.find()) {
				String name = names.group(1);
				if (first == null) {
					first = name;
					rows.put(name, defaultCell);
				}
				else {
					String parent = first.substring(0, first.lastIndexOf('.'));
					rows.put(parent + (name.startsWith(".") ? name : "." + name), defaultCell);
				}
			}
		}
		return rows;
	}

}
