package org.fleethealth.system;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which {@code fleet-health.*} keys name a setting, from the metadata the build writes, and what a misspelled one
 * most likely means.
 */
class UnknownSettingsTests {

	private static final Settings SETTINGS = Settings.of(UnknownSettings.metadata(UnknownSettingsTests.class.getClassLoader()),
			UnknownSettingsTests.class.getClassLoader());

	@ParameterizedTest
	@ValueSource(strings = { "fleet-health.poll.builds-interval", "fleet-health.poll.buildsInterval",
			"fleet-health.public-url", "fleet-health.owners[bob-freebsd]", "fleet-health.owners.bob",
			"fleet-health.owners-by-prefix[jane]", "fleet-health.masters[0].url", "fleet-health.masters[3].name",
			"fleet-health.security.users[0].password", "fleet-health.security.users[1].roles[0]",
			"fleet-health.gate.stable-builders-by-master[lab]", "fleet-health.gate.stable-builders-by-master[lab][0]",
			"fleet-health.classification.branch-tags[0]", "fleet-health.downtime[0].workers",
			"fleet-health.downtime[1].zone", "fleet-health.security.login.window" })
	void settingsAndKeysUnderMapsAndListsAreKnown(String key) {
		assertThat(SETTINGS.knows(ConfigurationPropertyName.adapt(key, '.')))
			.as(key)
			.isTrue();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			fleet-health.classification.offline-afer  | fleet-health.classification.offline-after
			fleet-health.poll.build-interval          | fleet-health.poll.builds-interval
			fleet-health.stale-after                  |
			fleet-health.restart-grace                | fleet-health.classification.restart-grace
			fleet-health.masters[2].ulr               | fleet-health.masters[2].url
			fleet-health.security.users[0].pasword    | fleet-health.security.users[0].password
			fleet-health.nothing-like-any-setting     |
			fleet-health.owner[dave-macos]            | fleet-health.owners[dave-macos]
			fleet-health.owner-by-prefix[bob]         | fleet-health.owners-by-prefix[bob]
			fleet-health.downtimes[0].from            | fleet-health.downtime[0].from
			fleet-health.masters[0].user              | fleet-health.masters[0].username
			fleet-health.security.login.max-failures  | fleet-health.security.login.max-failures-per-client or fleet-health.security.login.max-failures-per-user
			""")
	void aMisspelledKeyIsUnknownAndTheNearestSettingIsSuggested(String key, String suggested) {
		assertThat(SETTINGS.knows(ConfigurationPropertyName.adapt(key, '.')))
			.as(key)
			.isFalse();
		assertThat(SETTINGS.nearest(key)).isEqualTo(suggested);
	}

	@Test
	void everyUnknownKeyIsNamedWithItsSourceAndEnvironmentVariablesAreLeftAlone() {
		StandardEnvironment env = new StandardEnvironment();
		env.getPropertySources()
			.addFirst(new MapPropertySource("application.properties",
					Map.of("fleet-health.poll.workers-interval", "PT1M", "fleet-health.mail.frm", "x@example.org",
							"spring.mail.host", "localhost")));
		env.getPropertySources()
			.addLast(new SystemEnvironmentPropertySource("systemEnvironment", Map.of("FLEET_HEALTH_NOT_A_SETTING", "1")));
		assertThat(UnknownSettings.unknown(env, SETTINGS)).containsExactly(
				"fleet-health.mail.frm (set in application.properties) is not a fleet-health setting; did you mean"
						+ " fleet-health.mail.from?");
	}

	@Test
	void aDurationGivenAsABareNumberIsNamedWithTheUnitsItCouldHave() {
		StandardEnvironment env = new StandardEnvironment();
		env.getPropertySources()
			.addFirst(new MapPropertySource("application.properties",
					Map.of("fleet-health.classification.offline-after", "60", "fleet-health.poll.workers-interval",
							"30s", "fleet-health.classification.restart-grace", "0")));
		env.getPropertySources()
			.addLast(new SystemEnvironmentPropertySource("systemEnvironment",
					Map.of("FLEET_HEALTH_POLL_BUILDS_INTERVAL", "120")));
		ConfigurationPropertySources.attach(env);
		assertThat(UnknownSettings.unitless(env, SETTINGS)).containsExactlyInAnyOrder(
				"fleet-health.classification.offline-after=60 has no unit, and would be read as 60 milliseconds; give it"
						+ " one: 60s, 60m, 60h or 60d, or ISO-8601 such as PT60M",
				"fleet-health.poll.builds-interval=120 has no unit, and would be read as 120 milliseconds; give it one:"
						+ " 120s, 120m, 120h or 120d, or ISO-8601 such as PT120M");
	}

}
