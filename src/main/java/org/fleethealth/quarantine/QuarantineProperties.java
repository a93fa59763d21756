package org.fleethealth.quarantine;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.fleethealth.system.NotNegativeDuration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * When fleet-health proposes to quarantine a flaky host, and the safety valve's limits.
 *
 * @param after flaky-host this long (counted again from the end of its last quarantine or proposal): propose to
 * pause it in Buildbot
 * @param auto approve proposals at once, without a maintainer (the safety valve still decides)
 * @param maxShare the largest share (0 to 1) of a build class's workers, or of a master's, that fleet-health holds
 * quarantined at once; a quarantine that would exceed it is refused. Workers paused by someone else do not count
 * @param probationBuilds after a release, a host failure among this many next builds quarantines it again at once
 * @param recentFailures how many of its latest host failures the code-break rule looks at
 */
@Validated
@ConfigurationProperties("fleet-health.quarantine")
public record QuarantineProperties(@DefaultValue("PT6H") @NotNull @NotNegativeDuration Duration after,
		@DefaultValue("false") boolean auto,
		@DefaultValue("0.25") @DecimalMin("0.0") @DecimalMax("1.0") double maxShare,
		@DefaultValue("3") @Min(1) int probationBuilds, @DefaultValue("5") @Min(1) int recentFailures) {

	static QuarantineProperties defaults() {
		return new QuarantineProperties(Duration.ofHours(6), false, 0.25, 3, 5);
	}

}
