package org.fleethealth.pruning;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.fleethealth.system.NotNegativeDuration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * When fleet-health proposes to prune a worker.
 *
 * @param hideBuildersAfter offline this long: propose to hide its builders from the waterfall
 * @param removeAfter offline this long: propose to remove the worker
 * @param flakyRemoveAfter flaky-host this long: propose to remove the worker
 */
@Validated
@ConfigurationProperties("fleet-health.pruning")
public record PruningProperties(@DefaultValue("P7D") @NotNull @NotNegativeDuration Duration hideBuildersAfter,
		@DefaultValue("P30D") @NotNull @NotNegativeDuration Duration removeAfter,
		@DefaultValue("P28D") @NotNull @NotNegativeDuration Duration flakyRemoveAfter) {

	static PruningProperties defaults() {
		return new PruningProperties(Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(28));
	}

}
