package org.fleethealth.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.fleethealth.Readme;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped alert rules are valid and their promtool unit tests pass. */
class AlertRulesTests {

	@Test
	void rulesAreValid() {
		Promtool.Result result = Promtool.run(null, "check", "rules", "alerts/fleet-health.rules.yml");
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("SUCCESS");
	}

	@Test
	void ruleUnitTestsPass() throws IOException {
		List<String> args = new ArrayList<>(List.of("test", "rules"));
		try (Stream<Path> tests = Files.list(Path.of("alerts/tests"))) {
			tests.filter((p) -> p.toString().endsWith(".yml")).sorted().forEach((p) -> args.add(p.toString()));
		}
		assertThat(args).hasSizeGreaterThan(2);
		Promtool.Result result = Promtool.run(null, args.toArray(String[]::new));
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).doesNotContain("FAILED");
	}

	@Test
	void everyAlertHasATestThatFiresIt() throws IOException {
		String rules = Files.readString(Path.of("alerts/fleet-health.rules.yml"));
		StringBuilder tests = new StringBuilder();
		try (Stream<Path> files = Files.list(Path.of("alerts/tests"))) {
			for (Path p : files.toList()) {
				tests.append(Files.readString(p));
			}
		}
		List<String> alerts = rules.lines()
			.map(String::strip)
			.filter((l) -> l.startsWith("- alert:"))
			.map((l) -> l.substring("- alert:".length()).strip())
			.toList();
		assertThat(alerts).contains("FleetHealthSourceDown", "FleetHealthStale", "WorkerOffline", "WorkerFlakyHost",
				"WorkerFailingBuild", "FleetMostlyOffline", "BuildClassUncovered");
		for (String alert : alerts) {
			assertThat(tests.toString()).as("a test names " + alert).contains("alertname: " + alert);
		}
	}

	/** The README's list of rules and the thresholds table of alerts/README.md name every rule, and only those. */
	@Test
	void theReadmesNameEveryAlert() throws IOException {
		List<String> alerts = Files.readString(Path.of("alerts/fleet-health.rules.yml"))
			.lines()
			.map(String::strip)
			.filter((l) -> l.startsWith("- alert:"))
			.map((l) -> l.substring("- alert:".length()).strip())
			.sorted()
			.toList();
		String readme = Readme.text().replaceAll("\\s+", " ");
		int list = readme.indexOf("`alerts/` has the Prometheus rules (");
		assertThat(list).as("the README lists the rules").isPositive();
		String listed = readme.substring(list + "`alerts/` has the Prometheus rules (".length(), readme.indexOf(')', list));
		assertThat(Stream.of(listed.split(",")).map(String::strip).sorted().toList()).as("the README's list of rules")
			.isEqualTo(alerts);
		List<String> thresholds = Files.readString(Path.of("alerts/README.md"))
			.lines()
			.filter((l) -> l.matches("\\| [A-Z][A-Za-z]+ \\| .*"))
			.map((l) -> l.substring(2, l.indexOf(" |", 2)))
			.sorted()
			.toList();
		assertThat(thresholds).as("alerts/README.md's thresholds table").isEqualTo(alerts);
	}


	/**
	 * Every {@code fleet_*} name the rules and the Grafana dashboards query is a row of the README's metrics table
	 * (which {@code ScrapeEndpointTests} holds to the code): a renamed metric cannot leave a panel or a rule
	 * quietly empty.
	 */
	@Test
	void rulesAndDashboardsQueryDocumentedMetrics() throws IOException {
		Set<String> documented = Readme.metrics();
		Pattern name = Pattern.compile("fleet_[a-z_]+");
		List<Path> consumers;
		try (Stream<Path> files = Files.walk(Path.of("grafana"))) {
			consumers = new ArrayList<>(files.filter((p) -> p.toString().endsWith(".json")).toList());
		}
		assertThat(consumers).as("the dashboards").isNotEmpty();
		consumers.add(Path.of("alerts/fleet-health.rules.yml"));
		for (Path consumer : consumers) {
			Matcher m = name.matcher(Files.readString(consumer));
			while (m.find()) {
				String metric = m.group().replaceFirst("_(bucket|count|sum|max)$", "");
				assertThat(documented).as(consumer + " queries " + m.group()).contains(metric);
			}
		}
	}

}
