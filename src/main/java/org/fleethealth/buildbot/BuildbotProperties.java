package org.fleethealth.buildbot;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.util.unit.DataSize;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How fleet-health talks to Buildbot masters.
 *
 * @param connectTimeout how long to wait for a TCP connection to a master
 * @param readTimeout how long to wait for a whole answer
 * @param maxListSize the {@code limit} sent with the workers and builders lists (Buildbot limits nothing by
 * default, so every request carries one)
 * @param userAgent the User-Agent header, so master operators can tell who is polling them
 * @param maxResponseSize the largest answer accepted; a larger one is dropped unread, so a broken or hostile
 * master cannot exhaust memory
 */
@Validated
@ConfigurationProperties("fleet-health.buildbot")
public record BuildbotProperties(@DefaultValue("PT5S") @NotNull Duration connectTimeout,
		@DefaultValue("PT30S") @NotNull Duration readTimeout, @DefaultValue("5000") int maxListSize,
		@DefaultValue("fleet-health") String userAgent, @DefaultValue("32MB") @NotNull DataSize maxResponseSize) {
}
