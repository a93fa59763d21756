package org.fleethealth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's README.md, for tests that hold a table of it (settings, metrics, API, alerts) to what the code
 * does: other tools are built against those tables. Tests run in the project folder, beside it.
 */
public final class Readme {

	private Readme() {
	}

	/** The whole README. */
	public static String text() {
		try {
			return Files.readString(Path.of("README.md"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The tests run in the project folder, beside README.md", ex);
		}
	}

	/**
	 * The section under a second-level heading ("## Configuration reference"), up to the next one, its subsections
	 * included.
	 *
	 * @throws IllegalStateException when there is no such heading
	 */
	public static String section(String heading) {
		String readme = text();
		int start = readme.indexOf("\n## " + heading + "\n");
		if (start < 0) {
			throw new IllegalStateException("README.md has no section '## " + heading + "'");
		}
		int end = readme.indexOf("\n## ", start + 1);
		return readme.substring(start, (end > 0) ? end : readme.length());
	}

	/**
	 * The metric names of the metrics table ("Metrics, dashboards, alerts"): each row's first cell, which may name
	 * several ("`fleet_source_up`, `fleet_source_last_success_timestamp_seconds`").
	 */
	public static Set<String> metrics() {
		Pattern name = Pattern.compile("`(fleet_[a-z_]+)`");
		Set<String> metrics = new TreeSet<>();
		section("Metrics, dashboards, alerts").lines().filter((l) -> l.startsWith("| `fleet_")).forEach((l) -> {
			Matcher m = name.matcher(l.substring(0, l.indexOf('|', 2)));
			while (m.find()) {
				metrics.add(m.group(1));
			}
		});
		return metrics;
	}

}
