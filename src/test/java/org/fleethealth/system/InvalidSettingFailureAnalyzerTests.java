package org.fleethealth.system;

import org.fleethealth.FleetHealthApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

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
				"Correct the setting named above")
			.doesNotContain("Caused by:");
	}

	@Test
	void aDowntimeWindowThatDoesNotParseStopsTheStartWithTheReason(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--fleet-health.downtime[0].workers=bob-*",
				"--fleet-health.downtime[0].from=25:00", "--fleet-health.downtime[0].to=26:00"));
		assertThat(output).contains("APPLICATION FAILED TO START",
				"fleet-health.downtime[0].from '25:00' is not a time of day such as 08:00")
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
