package org.fleethealth.fleet.internal;

import java.time.Duration;
import java.time.Instant;

import org.fleethealth.source.SourceMaster;

/**
 * Tells a master restart from its heartbeats. Buildbot writes a master's {@code last_active} when it starts and
 * every 60 s after (its {@code masterHeartbeatService}, on a fixed schedule from the start, in whole seconds), so
 * between two polls the heartbeat moves by a whole number of minutes, give or take a second. A heartbeat out of
 * that rhythm means the master started again in between, even when both polls found it up. A master seen
 * inactive (Buildbot marks one so when it stops) restarted when it is seen active again.
 */
public final class Heartbeats {

	/** Buildbot's heartbeat period ({@code buildbot.master.BuildMaster}, {@code TimerService(60, heartbeat)}). */
	static final Duration PERIOD = Duration.ofSeconds(60);

	// last_active is written in whole seconds, a moment after the timer fires.
	private static final long TOLERANCE_SECONDS = 2;

	private Heartbeats() {
	}

	/** What two observations of one master process say. */
	enum Change {

		/** Nothing: the heartbeat kept its rhythm (or cannot tell). */
		NONE,
		/** It stopped: active before, inactive now. */
		STOPPED,
		/** It is active again after it was seen inactive. */
		STARTED,
		/** It restarted between the two observations, both of which found it active. */
		RESTARTED

	}

	static Change compare(boolean wasActive, Instant before, SourceMaster now) {
		if (wasActive && !now.active()) {
			return Change.STOPPED;
		}
		if (!wasActive && now.active()) {
			return Change.STARTED;
		}
		if (!now.active() || before == null || now.lastActive() == null || !now.lastActive().isAfter(before)) {
			return Change.NONE;
		}
		long seconds = Duration.between(before, now.lastActive()).toSeconds();
		long offset = seconds % PERIOD.toSeconds();
		boolean inRhythm = offset <= TOLERANCE_SECONDS || offset >= PERIOD.toSeconds() - TOLERANCE_SECONDS;
		return inRhythm ? Change.NONE : Change.RESTARTED;
	}

}
