package org.fleethealth.system;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Retrying the reactions of one module to another's events (classification after a poll; metrics, release gate
 * and proposals after a classification; mail after new proposals). Each runs after the publishing transaction
 * committed, off the poll thread, and stays in Spring Modulith's event publication registry (table
 * {@code event_publication}) until it completed.
 *
 * @param retryInterval how often failed reactions are looked for and run again
 * @param retryAfter the wait before the first retry of a failed reaction; it doubles with every attempt, up to
 * {@code max-retry-wait}
 * @param maxRetryWait the longest wait between two attempts
 * @param maxAttempts attempts after which a reaction is left failed in {@code event_publication} for a person to
 * look at (its listener, its event as JSON and its attempts are there)
 * @param staleAfter a reaction still marked as running after this long was cut short (its instance stopped or
 * died) and is run again
 */
@Validated
@ConfigurationProperties("fleet-health.events")
public record EventProperties(@DefaultValue("PT1M") @NotNull @PositiveDuration Duration retryInterval,
		@DefaultValue("PT1M") @NotNull @NotNegativeDuration Duration retryAfter,
		@DefaultValue("PT1H") @NotNull @PositiveDuration Duration maxRetryWait,
		@DefaultValue("10") @Min(1) int maxAttempts,
		@DefaultValue("PT15M") @NotNull @PositiveDuration Duration staleAfter) {
}
