package org.fleethealth.health;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.fleethealth.system.Regexes;
import org.fleethealth.system.NotNegativeDuration;
import org.fleethealth.system.PositiveDuration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The thresholds of the classification ({@code fleet-health.classification.*}).
 *
 * @param staleAfter a master that has not answered for longer makes its workers {@code unknown}
 * @param offlineAfter a worker not connected for at least this long is {@code offline} (Buildbot's own
 * {@code missing_timeout} is one hour)
 * @param window how far back builds and disconnects count
 * @param flakyRatio the share of host failures among a worker's builds that makes it {@code flaky-host}
 * @param minBuilds the fewest builds in the window for the ratio to count
 * @param failingStreak consecutive failures of one builder in the same step that make {@code failing-build}
 * @param flappingDisconnects disconnects in the window (not counting the master's own) that count as a flaky host
 * by themselves
 * @param codeBreakRatio the share of the builders that built a revision (on its branch) that must have failed it
 * for the revision to be a code break
 * @param intermittentFlips how often a worker's results on a builder without other workers must flip between pass
 * and fail for a failure on a revision that passed on its class peers to count as intermittent (the host's fault)
 * @param hostMinFailures the fewest failures, on revisions its pool mates passed, before a worker's failures on a
 * shared builder (or on most of its shared builders, in one step) are its host's
 * @param concentrationSignificance how unlikely a worker's failures on a shared builder must be under its pool
 * mates' failure rate (a binomial tail probability) to be its host's rather than a flaky test spread over the pool
 * @param restartGrace how long after a master restart or outage disconnects and ended builds are still the
 * master's: workers back off up to 5 minutes before they reconnect
 * @param outageShare the share of a master's workers that must drop at one poll, or fail checkout within
 * {@code outage-span}, for it to be the master's or the repository's doing rather than each host's
 * @param outageSpan how close together checkout failures on many workers must be to count as one outage
 * @param infrastructureSteps regular expressions (whole name, case-insensitive) of steps whose failure is the
 * host's, not the code's: worker preparation and checkouts in their many spellings
 * @param nonClassTags builder tags that are not build classes (release tiers, stability)
 * @param branchTags regular expressions (whole tag, case-insensitive) of builder tags that name a branch: the
 * builder's branch, never a build class
 * @param sameWorkerAcrossMasters whether a worker name configured on several watched masters (LLVM's production
 * and staging) is one worker: connected to any of them, it is not offline on the others
 * @param latentWorkers name patterns ({@code *} and {@code ?}) of workers Buildbot starts on demand (cloud or
 * container workers): disconnected between builds is normal for them
 * @param stuckAfter a build running longer than this is stuck: evidence on its worker, and once a host failure
 * @param fullInterval how often a round judges every worker of a master again, whatever changed: between such
 * rounds only the workers whose verdict inputs changed, or whose verdict can change with time alone, are judged
 * ({@link Recall}); a safety net, as the two must agree
 * @param exclusiveReactions whether the reactions to a round that read all of a master's reports (release gate,
 * pruning, quarantine, the metrics set) run one at a time and never beside a round, in this JVM ({@link RoundLock}):
 * each holds a master's whole state in memory (tens of MB at 10,000 workers); {@code false} runs them side by side
 * where cores and heap are plentiful
 */
@Validated
@ConfigurationProperties("fleet-health.classification")
public record ClassificationProperties(@DefaultValue("PT10M") @NotNull @PositiveDuration Duration staleAfter,
		@DefaultValue("PT1H") @NotNull @PositiveDuration Duration offlineAfter,
		@DefaultValue("P7D") @NotNull @PositiveDuration Duration window,
		@DefaultValue("0.2") @DecimalMin("0.0") @DecimalMax("1.0") double flakyRatio,
		@DefaultValue("5") @Min(1) int minBuilds, @DefaultValue("3") @Min(1) int failingStreak,
		@DefaultValue("3") @Min(1) int flappingDisconnects,
		@DefaultValue("0.75") @DecimalMin("0.0") @DecimalMax("1.0") double codeBreakRatio,
		@DefaultValue("2") @Min(1) int intermittentFlips, @DefaultValue("3") @Min(1) int hostMinFailures,
		@DefaultValue("0.01") @DecimalMin("0.0") @DecimalMax("1.0") double concentrationSignificance,
		@DefaultValue("PT5M") @NotNull @NotNegativeDuration Duration restartGrace,
		@DefaultValue("0.5") @DecimalMin("0.0") @DecimalMax("1.0") double outageShare,
		@DefaultValue("PT10M") @NotNull @NotNegativeDuration Duration outageSpan,
		@DefaultValue({ "worker_preparation", "(git|svn|hg|p4|bzr|cvs|darcs|mtn|repo|checkout|clone)(_\\d+)?",
				"(git|checkout)[-_ ].+", ".+:\\s*(checkout|git)" }) List<String> infrastructureSteps,
		@DefaultValue({ "stable", "unstable", "tier-1", "tier-2", "tier-3", "tierless" }) List<String> nonClassTags,
		@DefaultValue({ "3\\.x", "3\\.\\d+", "PullRequest", "main", "master", "trunk", "release/.+" }) List<String> branchTags,
		@DefaultValue("true") boolean sameWorkerAcrossMasters, List<String> latentWorkers,
		@DefaultValue("P1D") @NotNull @PositiveDuration Duration stuckAfter,
		@DefaultValue("PT1H") @NotNull @PositiveDuration Duration fullInterval,
		@DefaultValue("true") boolean exclusiveReactions) {

	public ClassificationProperties {
		latentWorkers = (latentWorkers != null) ? List.copyOf(latentWorkers) : List.of();
		Regexes.compile("fleet-health.classification.infrastructure-steps",
				(infrastructureSteps != null) ? infrastructureSteps : List.of());
		Regexes.compile("fleet-health.classification.branch-tags", (branchTags != null) ? branchTags : List.of());
	}

	/** These thresholds with another {@code full-interval}. */
	public ClassificationProperties withFullInterval(Duration fullInterval) {
		return new ClassificationProperties(this.staleAfter, this.offlineAfter, this.window, this.flakyRatio,
				this.minBuilds, this.failingStreak, this.flappingDisconnects, this.codeBreakRatio,
				this.intermittentFlips, this.hostMinFailures, this.concentrationSignificance, this.restartGrace,
				this.outageShare, this.outageSpan, this.infrastructureSteps, this.nonClassTags, this.branchTags,
				this.sameWorkerAcrossMasters, this.latentWorkers, this.stuckAfter, fullInterval,
				this.exclusiveReactions);
	}

	/** These thresholds with reactions to rounds run side by side ({@code false}) or one at a time. */
	public ClassificationProperties withExclusiveReactions(boolean exclusiveReactions) {
		return new ClassificationProperties(this.staleAfter, this.offlineAfter, this.window, this.flakyRatio,
				this.minBuilds, this.failingStreak, this.flappingDisconnects, this.codeBreakRatio,
				this.intermittentFlips, this.hostMinFailures, this.concentrationSignificance, this.restartGrace,
				this.outageShare, this.outageSpan, this.infrastructureSteps, this.nonClassTags, this.branchTags,
				this.sameWorkerAcrossMasters, this.latentWorkers, this.stuckAfter, this.fullInterval,
				exclusiveReactions);
	}

	/** Defaults, for tests and tools. */
	public static ClassificationProperties defaults() {
		return new ClassificationProperties(Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofDays(7), 0.2, 5, 3,
				3, 0.75, 2, 3, 0.01, Duration.ofMinutes(5), 0.5, Duration.ofMinutes(10),
				List.of("worker_preparation", "(git|svn|hg|p4|bzr|cvs|darcs|mtn|repo|checkout|clone)(_\\d+)?",
						"(git|checkout)[-_ ].+", ".+:\\s*(checkout|git)"),
				List.of("stable", "unstable", "tier-1", "tier-2", "tier-3", "tierless"),
				List.of("3\\.x", "3\\.\\d+", "PullRequest", "main", "master", "trunk", "release/.+"), true, List.of(),
				Duration.ofDays(1), Duration.ofHours(1), true);
	}

}
