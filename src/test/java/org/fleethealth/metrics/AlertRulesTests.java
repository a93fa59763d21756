package org.fleethealth.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

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

}
