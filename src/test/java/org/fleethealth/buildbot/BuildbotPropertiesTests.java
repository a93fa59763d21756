package org.fleethealth.buildbot;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The {@code fleet-health.buildbot.*} settings bind by their documented names, with their documented defaults. */
class BuildbotPropertiesTests {

	private static BuildbotProperties bind(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("fleet-health.buildbot",
				BuildbotProperties.class);
	}

	@Test
	void defaults() {
		BuildbotProperties properties = bind(Map.of());
		assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(properties.maxResponseSize()).isEqualTo(DataSize.ofMegabytes(32));
		assertThat(properties.streamEnabled()).isTrue();
		assertThat(properties.streamPingInterval()).isEqualTo(Duration.ofSeconds(30));
		assertThat(properties.streamBackoffInitial()).isEqualTo(Duration.ofSeconds(5));
		assertThat(properties.streamBackoffMax()).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void theStreamSettingsBindByTheirNames() {
		BuildbotProperties properties = bind(Map.of("fleet-health.buildbot.stream-enabled", "false",
				"fleet-health.buildbot.stream-ping-interval", "PT10S", "fleet-health.buildbot.stream-backoff-initial",
				"1s", "fleet-health.buildbot.stream-backoff-max", "PT2M", "fleet-health.buildbot.read-timeout", "PT7S"));
		assertThat(properties.streamEnabled()).isFalse();
		assertThat(properties.streamPingInterval()).isEqualTo(Duration.ofSeconds(10));
		assertThat(properties.streamBackoffInitial()).isEqualTo(Duration.ofSeconds(1));
		assertThat(properties.streamBackoffMax()).isEqualTo(Duration.ofMinutes(2));
		assertThat(properties.readTimeout()).isEqualTo(Duration.ofSeconds(7));
	}

	@Test
	void aLongestWaitShorterThanTheFirstIsRefused() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("fleet-health.buildbot.stream-backoff-initial", "PT10M")))
			.havingRootCause()
			.withMessageContaining("stream-backoff-max must not be shorter than stream-backoff-initial");
	}

}
