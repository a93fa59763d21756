package org.fleethealth.fleet;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.fleethealth.system.NotNegativeDuration;
import org.fleethealth.system.PositiveDuration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How often and how much fleet-health reads from each master.
 *
 * @param enabled whether the Quartz poll jobs run (turn off to use the service read-only)
 * @param workersInterval how often worker connection state (the heartbeat) is read
 * @param buildsInterval how often new builds (and builders) are read
 * @param lookback how far back the very first poll of a master reads builds
 * @param pageSize the {@code limit} of one builds request
 * @param maxPagesPerPoll the most build pages one poll reads; the rest waits for the next poll
 * @param maxBackfillPages the most build pages the first poll of a master reads back towards {@code lookback}: at
 * CPython's 1,275 builds a day the 14 days are 90 pages of 200, where {@code maxPagesPerPoll} would stop at 4 days
 * (a trial found verdicts and the stable-set proposal made on those); a master with more history than this reads
 * that many pages, and the log says how far back it got
 * @param maxStepFetches the most failed builds whose steps one poll reads
 * @param maxStepFetchesFirstSync the same after a master's first sync, until its backlog is read: the first
 * judgement waits for the failing steps of the failed builds (a failure whose step is unknown neither starts nor
 * breaks a streak), and at {@code maxStepFetches} a poll CPython's 706 failed builds of 14 days took 7 polls, 15
 * minutes of verdicts without their failing builds (a trial)
 * @param backoffMax the longest wait after consecutive failures; the wait starts at the poll interval and
 * doubles with each failure
 * @param maxWaitingRequests the most waiting build requests one workers poll reads (the oldest): enough to see
 * which builders have work waiting, and since when
 * @param unconfiguredAfter how long a worker must be listed as configured nowhere before it leaves the fleet:
 * Buildbot unlinks every worker from a master while the master restarts, and answers in between
 * @param maxRunningRefresh the most builds seen running that one poll reads again to learn how they ended; with
 * more running, each poll goes on where the last one stopped, so every one is read again in turn
 * @param reconcileInterval how often a master whose live event stream is up is polled anyway, to reconcile: the
 * stream says what changes as it happens, and the polls catch what it cannot (configuration, waiting build
 * requests, anything missed)
 * @param streamBuildsInterval the shortest time between two builds polls a master's live event stream asks for
 * (builds started or finished): the stream's builds carry no revision or branch, so each is read from the REST API,
 * within this long of its event; a burst of events within it costs one poll. Defaults to {@code buildsInterval}:
 * a master heard live is never asked for builds more often than one polled only
 */
@Validated
@ConfigurationProperties("fleet-health.poll")
public record PollProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("PT1M") @NotNull @PositiveDuration Duration workersInterval,
		@DefaultValue("PT2M") @NotNull @PositiveDuration Duration buildsInterval,
		@DefaultValue("P14D") @NotNull @PositiveDuration Duration lookback,
		@DefaultValue("200") @Min(1) @Max(1000) int pageSize, @DefaultValue("25") @Min(1) int maxPagesPerPoll,
		@DefaultValue("250") @Min(1) int maxBackfillPages,
		@DefaultValue("100") @Min(0) int maxStepFetches, @DefaultValue("1000") @Min(0) int maxStepFetchesFirstSync,
		@DefaultValue("PT30M") @NotNull @PositiveDuration Duration backoffMax,
		@DefaultValue("PT5M") @NotNull @NotNegativeDuration Duration unconfiguredAfter,
		@DefaultValue("1000") @Min(1) @Max(10000) int maxWaitingRequests,
		@DefaultValue("1000") @Min(1) int maxRunningRefresh,
		@DefaultValue("PT10M") @NotNull @PositiveDuration Duration reconcileInterval,
		@NotNull @NotNegativeDuration Duration streamBuildsInterval) {

	public PollProperties {
		if (streamBuildsInterval == null) {
			// Heard live, builds are read no more often than polling reads them.
			streamBuildsInterval = buildsInterval;
		}
	}

}
