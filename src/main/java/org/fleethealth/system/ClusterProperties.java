package org.fleethealth.system;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Running several instances on one PostgreSQL database.
 *
 * @param enabled use Quartz's clustered JDBC job store, so every job firing runs on exactly one instance (on by
 * default in the {@code postgres} profile; needs PostgreSQL)
 * @param checkinInterval how often an instance tells the others it is alive; the jobs of an instance that
 * stops checking in are taken over after about this long
 * @param refreshInterval how often an instance that did not run the last classification reloads the fleet's
 * state for its metrics and pages
 */
@Validated
@ConfigurationProperties("fleet-health.cluster")
public record ClusterProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue("PT7.5S") @NotNull @PositiveDuration Duration checkinInterval,
		@DefaultValue("PT30S") @NotNull @PositiveDuration Duration refreshInterval) {
}
