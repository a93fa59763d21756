package org.fleethealth.source;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The configured masters, as Spring Boot binds them at start: a master that could never be polled is refused. */
class FleetPropertiesTests {

	private static FleetProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("fleet-health",
				FleetProperties.class);
	}

	@Test
	void bindsMastersWithTheirWebUrls() {
		FleetProperties fleet = bind(Map.of("fleet-health.masters[0].name", "python",
				"fleet-health.masters[0].url", "https://buildbot.python.org/all/", "fleet-health.masters[1].name",
				"lab", "fleet-health.masters[1].url", "http://127.0.0.1:8010/"));

		assertThat(fleet.masters()).extracting(FleetProperties.Master::name).containsExactly("python", "lab");
	}

	@Test
	void aUrlThatIsNotHttpWithAHostIsRefusedNamingTheMaster() {
		for (String url : new String[] { "htp:/nope", "buildbot.python.org/all/", "http:/no-host",
				"ftp://buildbot.example.org/" }) {
			assertThatExceptionOfType(BindException.class)
				.isThrownBy(() -> bind(Map.of("fleet-health.masters[0].name", "typo", "fleet-health.masters[0].url", url)))
				.havingRootCause()
				.withMessageContaining("the url '" + url + "' of master 'typo' is not an http or https URL with a host");
		}
	}

	@Test
	void aNameUsedTwiceIsRefused() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("fleet-health.masters[0].name", "lab", "fleet-health.masters[0].url",
					"http://127.0.0.1:8010/", "fleet-health.masters[1].name", "lab", "fleet-health.masters[1].url",
					"http://127.0.0.1:8011/")))
			.havingRootCause()
			.withMessageContaining("the name 'lab' is used twice");
	}

}
