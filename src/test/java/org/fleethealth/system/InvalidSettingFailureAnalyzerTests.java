package org.fleethealth.system;

import org.fleethealth.FleetHealthApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A setting the service cannot use stops the start with Spring Boot's failure report (what is wrong, what to do),
 * not with a stack trace whose last "Caused by" says it.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidSettingFailureAnalyzerTests {

	@Test
	void aPasswordThatIsNotAHashStopsTheStartWithTheReasonAndNoStackTrace(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--fleet-health.security.users[0].name=ann",
				"--fleet-health.security.users[0].password={noop}s3cret"));
		assertThat(output).contains("APPLICATION FAILED TO START",
				"fleet-health.security.users: the password of 'ann' is not a bcrypt hash",
				"Correct what is named above")
			.doesNotContain("Caused by:");
	}

	@Test
	void aDowntimeWindowThatDoesNotParseStopsTheStartWithTheReason(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--fleet-health.downtime[0].workers=bob-*",
				"--fleet-health.downtime[0].from=25:00", "--fleet-health.downtime[0].to=26:00",
				"--fleet-health.downtime[1].workers=carol", "--fleet-health.downtime[1].from=08:00",
				"--fleet-health.downtime[1].to=09:00", "--fleet-health.downtime[1].zone=America/Los_Angles"));
		// Every window that does not parse is named, not only the first.
		assertThat(output).contains("APPLICATION FAILED TO START",
				"fleet-health.downtime[0].from '25:00' is not a time of day such as 08:00",
				"fleet-health.downtime[1].zone 'America/Los_Angles' is not an IANA zone")
			.doesNotContain("Caused by:");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			fleet-health.mail.once-over-cron=not a cron       | fleet-health.mail.once-over-cron: 'not a cron' is not a Quartz cron expression
			fleet-health.classification.branch-tags=[         | fleet-health.classification.branch-tags: '[' is not a regular expression
			fleet-health.classification.infrastructure-steps=( | fleet-health.classification.infrastructure-steps: '(' is not a regular expression
			fleet-health.mail.ignore-owner-patterns=(          | fleet-health.mail.ignore-owner-patterns: '(' is not a regular expression
			fleet-health.gate.tier-tags=(                      | fleet-health.gate.tier-tags: '(' is not a regular expression
			fleet-health.buildbot.max-response-size=-5MB       | fleet-health.buildbot.max-response-size must be positive
			fleet-health.buildbot.read-timeout=-5s             | fleet-health.buildbot.read-timeout must be positive
			fleet-health.mail.batch-size=-1                    | fleet-health.mail.batch-size
			fleet-health.masters[0].name=lab two/x             | fleet-health.masters: the name 'lab two/x' has characters other than letters
			fleet-health.mail.maintainers=Ops Team             | fleet-health.mail.maintainers: 'Ops Team' is not a mail address
			fleet-health.gate.stable-builders-by-master.pyhton=x | fleet-health.gate.stable-builders-by-master.pyhton: no watched master is called 'pyhton' (no master is configured)
			fleet-health.gate.excluded-masters=stagign          | fleet-health.gate.excluded-masters: no watched master is called 'stagign' (no master is configured)
			fleet-health.pol.builds-interval=PT10S             | fleet-health.pol.builds-interval (set in the command line) is not a fleet-health setting; did you mean fleet-health.poll.builds-interval?
			fleet-health.offline-after=PT2H                    | fleet-health.offline-after (set in the command line) is not a fleet-health setting; did you mean fleet-health.classification.offline-after?
			fleet-health.masters[0].ulr=http://127.0.0.1:1/    | fleet-health.masters[0].ulr (set in the command line) is not a fleet-health setting; did you mean fleet-health.masters[0].url?
			""")
	void aSettingThatCannotBeUsedStopsTheStartNamingIt(String setting, String reason, CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--" + setting));
		assertThat(output).contains("APPLICATION FAILED TO START", reason).doesNotContain("Caused by:");
	}

	/**
	 * Durations the binder takes but that mean nothing here (a negative window reached into the future and made every
	 * worker of a healthy master unknown, stored in its history), and a URL {@code URI} cannot read.
	 */
	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			fleet-health.classification.window=-P7D          | fleet-health.classification.window        | must be longer than zero
			fleet-health.classification.stale-after=-PT10M   | fleet-health.classification.stale-after   | must be longer than zero
			fleet-health.classification.offline-after=0s     | fleet-health.classification.offline-after | must be longer than zero
			fleet-health.poll.workers-interval=-PT1M         | fleet-health.poll.workers-interval        | must be longer than zero
			fleet-health.mail.retry-initial=-1m              | fleet-health.mail.retry-initial           | must be longer than zero
			fleet-health.classification.restart-grace=-5m    | fleet-health.classification.restart-grace | must not be negative
			fleet-health.masters[0].url=127.0.0.1:8710       | fleet-health.masters[0].url               | is not a URL (Invalid URI syntax
			""")
	void aSettingTheBinderTakesButThatMeansNothingStopsTheStartNamingIt(String setting, String property,
			String reason, CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--" + setting));
		assertThat(output).contains("APPLICATION FAILED TO START", "\"" + property + "\"", reason)
			.doesNotContain("Caused by:");
	}

	@Test
	void aStableSetForAMasterWithoutAGateStopsTheStart(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--fleet-health.masters[0].name=staging",
				"--fleet-health.masters[0].url=http://127.0.0.1:1/", "--fleet-health.gate.excluded-masters=staging",
				"--fleet-health.gate.stable-builders-by-master.staging=*"));
		assertThat(output).contains("APPLICATION FAILED TO START",
				"fleet-health.gate.stable-builders-by-master.staging: master 'staging' is in"
						+ " fleet-health.gate.excluded-masters, which gives it no release gate or stable set")
			.doesNotContain("Caused by:");
	}

	@Test
	void wordsLeftOverFromAValueWithSpacesStopTheStart(CapturedOutput output) {
		// What the Maven plugin passes for an unquoted "--fleet-health.owners[dave-macos]=Dave Dunn <dave@example.org>".
		assertThatException().isThrownBy(
				() -> start("--fleet-health.owners[dave-macos]=Dave", "Dunn", "<dave@example.org>"));
		assertThat(output).contains("APPLICATION FAILED TO START",
				"the command line has arguments that are not settings: Dunn,<dave@example.org>",
				"a value with spaces is quoted whole")
			.doesNotContain("Caused by:");
	}

	@Test
	void aSettingThatFailsItsConstraintIsNamedAsItIsWritten(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--fleet-health.classification.offline-after=-PT1H"));
		assertThat(output).contains("Property: fleet-health.classification.offline-after",
				"Value: \"-PT1H\"", "Origin: \"fleet-health.classification.offline-after\"",
				"Reason: must be longer than zero")
			.doesNotContain("offlineAfter")
			.doesNotContain("Caused by:");
	}

	@Test
	void aNegativeDurationIsShownAsItWasWritten(CapturedOutput output) {
		// Not as bound: a new user did not recognise "PT-2M" as their -2m.
		assertThatException().isThrownBy(() -> start("--fleet-health.pruning.hide-builders-after=-2m"));
		assertThat(output).contains("Property: fleet-health.pruning.hide-builders-after", "Value: \"-2m\"")
			.doesNotContain("PT-2M");
	}

	@Test
	void aListWithAGapSaysWhichEntriesWereLeftOverAndWhy(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--fleet-health.masters[0].name=lab",
				"--fleet-health.masters[0].url=http://127.0.0.1:1/", "--fleet-health.masters[2].name=staging",
				"--fleet-health.masters[2].url=http://127.0.0.1:2/"));
		assertThat(output).contains("APPLICATION FAILED TO START",
				"Entries of the list fleet-health.masters were set but not read:",
				"fleet-health.masters[2].name=staging", "fleet-health.masters[2].url=http://127.0.0.1:2/",
				"up to the first missing index", "Give every entry of fleet-health.masters in one place")
			.doesNotContain("Bindable@")
			.doesNotContain("Caused by:");
	}

	@Test
	void aLeftOverUsersPasswordIsNotWrittenOut(CapturedOutput output) {
		String hash = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("s3cret");
		assertThatException().isThrownBy(() -> start("--fleet-health.security.users[1].name=ann",
				"--fleet-health.security.users[1].password=" + hash));
		assertThat(output).contains("Entries of the list fleet-health.security.users were set but not read:",
				"fleet-health.security.users[1].password=******")
			.doesNotContain(hash);
	}

	@Test
	void aUrlWithoutItsSchemeIsExplainedOnce(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--fleet-health.masters[0].url=127.0.0.1:8710"));
		assertThat(output).containsOnlyOnce("is not a URL (").contains("give it whole, with its scheme")
			.contains("The setting fleet-health.masters[0].url is not a URL, given whole with its scheme")
			.doesNotContain("is not a URI");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			fleet-health.classification.offline-after=10x | is not a duration (write it as 90s, 10m, 1h or 7d | '10x' is not a valid simple duration (Unknown unit 'x')
			fleet-health.classification.flaky-ratio=one fifth | is not a number (such as 0.2) | For input string: "onefifth"
			""")
	void aSettingThatIsNotOfItsTypeSaysWhatItShouldLookLike(String setting, String expected, String reason,
			CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--" + setting));
		String property = setting.substring(0, setting.indexOf('='));
		assertThat(output).contains("APPLICATION FAILED TO START", "The setting " + property + " " + expected,
				"Property: " + property, "Value: \"" + setting.substring(setting.indexOf('=') + 1) + "\"",
				"Reason: " + reason)
			.doesNotContain("failed to convert java.lang.String")
			.doesNotContain("Caused by:");
	}

	@Test
	void aDurationWithoutAUnitStopsTheStart(CapturedOutput output) {
		// Spring Boot reads a bare 60 as 60 milliseconds: a worker was offline a moment after it dropped.
		assertThatException().isThrownBy(() -> start("--fleet-health.classification.offline-after=60"));
		assertThat(output).contains("APPLICATION FAILED TO START",
				"fleet-health.classification.offline-after=60 has no unit, and would be read as 60 milliseconds")
			.doesNotContain("Caused by:");
	}

	@Test
	void aZeroGraceIsNoGrace() {
		// Zero means "none" for a grace or a delay: the start goes on.
		start("--fleet-health.classification.restart-grace=0s", "--fleet-health.pruning.remove-after=0s");
	}

	@Test
	void aRoleFleetHealthDoesNotHaveStopsTheStartNamingIt(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--fleet-health.security.users[0].name=ann",
				"--fleet-health.security.users[0].password={bcrypt}" + new BCryptPasswordEncoder(4).encode("s3cret"),
				"--fleet-health.security.users[0].roles=MAINTAINERS"));
		assertThat(output).contains("APPLICATION FAILED TO START",
				"fleet-health.security.users: 'ann' has the role 'MAINTAINERS', which fleet-health does not have")
			.doesNotContain("Caused by:");
	}

	private static void start(String... args) {
		String[] all = new String[args.length + 3];
		all[0] = "--server.port=0";
		all[1] = "--fleet-health.poll.enabled=false";
		all[2] = "--spring.datasource.url=jdbc:h2:mem:invalid-setting";
		System.arraycopy(args, 0, all, 3, args.length);
		new SpringApplicationBuilder(FleetHealthApplication.class).run(all).close();
	}

}
