package org.fleethealth.health;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The thresholds of the classification.
 *
 * @param staleAfter a master that has not answered for longer makes its workers {@code unknown}
 * @param offlineAfter a worker not connected for at least this long is {@code offline} (Buildbot's own
 * {@code missing_timeout} is one hour)
 * @param window how far back builds and disconnects count
 * @param flakyRatio the share of host failures among a worker's builds that makes it {@code flaky-host}
 * @param minBuilds the fewest builds in the window for the ratio to count
 * @param failingStreak consecutive failures of one builder in the same step that make {@code failing-build}
 * @param flappingDisconnects disconnects in the window that count as a flaky host by themselves
 * @param codeBreakRatio the share of peers that failed the same revision for it to be a code break
 * @param intermittentFlips how often a worker's results on a builder must flip between pass and fail for a
 * failure on a revision that passed elsewhere to count as intermittent (the host's fault)
 * @param infrastructureSteps step names whose failure is the host's, not the code's (case-insensitive)
 * @param nonClassTags builder tags that are not build classes (release tiers, stability)
 */
@Validated
@ConfigurationProperties("fleet-health.classification")
public record ClassificationProperties(@DefaultValue("PT10M") @NotNull Duration staleAfter,
		@DefaultValue("PT1H") @NotNull Duration offlineAfter, @DefaultValue("P7D") @NotNull Duration window,
		@DefaultValue("0.2") @DecimalMin("0.0") @DecimalMax("1.0") double flakyRatio,
		@DefaultValue("5") @Min(1) int minBuilds, @DefaultValue("3") @Min(1) int failingStreak,
		@DefaultValue("3") @Min(1) int flappingDisconnects,
		@DefaultValue("0.75") @DecimalMin("0.0") @DecimalMax("1.0") double codeBreakRatio,
		@DefaultValue("2") @Min(1) int intermittentFlips,
		@DefaultValue({ "worker_preparation", "git", "svn", "hg", "p4", "bzr", "cvs", "darcs", "mtn", "repo",
				"checkout", "clone" }) List<String> infrastructureSteps,
		@DefaultValue({ "stable", "unstable", "tier-1", "tier-2", "tier-3" }) List<String> nonClassTags) {

	/** Defaults, for tests and tools. */
	public static ClassificationProperties defaults() {
		return new ClassificationProperties(Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofDays(7), 0.2, 5, 3,
				3, 0.75, 2,
				List.of("worker_preparation", "git", "svn", "hg", "p4", "bzr", "cvs", "darcs", "mtn", "repo",
						"checkout", "clone"),
				List.of("stable", "unstable", "tier-1", "tier-2", "tier-3"));
	}

	/** The build classes a builder's tags stand for. */
	public Set<String> classesOf(List<String> tags) {
		Set<String> excluded = this.nonClassTags.stream()
			.map((s) -> s.toLowerCase(Locale.ROOT))
			.collect(Collectors.toSet());
		return tags.stream()
			.filter((t) -> !excluded.contains(t.toLowerCase(Locale.ROOT)))
			.collect(Collectors.toCollection(java.util.TreeSet::new));
	}

}
