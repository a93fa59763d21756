package org.fleethealth.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.health.Facts.Presence;
import org.fleethealth.health.Facts.WorkerFacts;
import org.fleethealth.system.Durations;

/**
 * The rules about whether a worker is there at all when its connection alone does not say: its master process
 * is inactive, it is paused or in a planned downtime, it is connected to another watched master, it is a latent
 * worker that Buildbot starts on demand, or it is connected but takes no work. One method per rule; each returns
 * the finding, or {@code null} when the rule does not apply.
 */
final class PresenceRules {

	private final ClassificationProperties properties;

	PresenceRules(ClassificationProperties properties) {
		this.properties = properties;
	}

	/** {@code unknown}: the master process it belongs to is not running; its API answers from another. */
	Finding masterInactive(WorkerFacts w) {
		String inactive = w.presence().masterInactive();
		return (inactive != null) ? new Finding(Rule.MASTER_INACTIVE, inactive) : null;
	}

	/** {@code paused}: paused in Buildbot; since when, and why where Buildbot says. */
	Finding paused(WorkerFacts w, Instant now) {
		Presence p = w.presence();
		if (!p.paused()) {
			return null;
		}
		String line = "paused in Buildbot" + ((p.pausedSince() != null) ? " since " + Durations.at(p.pausedSince())
				+ " (" + Durations.between(p.pausedSince(), now) + ")" : "")
				+ ((p.pauseReason() != null) ? ": " + p.pauseReason() : "; Buildbot gives no reason")
				+ (w.connected() ? " (connected, taking no builds)" : "");
		return new Finding(Rule.PAUSED, line);
	}

	/** {@code paused}: in a planned downtime window, and not at work (disconnected, paused, or idle). */
	Finding plannedDowntime(WorkerFacts w, boolean busy) {
		Facts.Downtime downtime = w.presence().downtime();
		if (downtime == null || (w.connected() && busy)) {
			return null;
		}
		return new Finding(Rule.PLANNED_DOWNTIME, "planned downtime until " + Durations.at(downtime.until()) + " ("
				+ downtime.reason() + "): " + (w.connected() ? "idle" : "disconnected") + ", as planned");
	}

	/** Whether its being disconnected says nothing about it: it is connected to another watched master. */
	boolean connectedElsewhere(WorkerFacts w) {
		return this.properties.sameWorkerAcrossMasters() && !w.presence().connectedElsewhere().isEmpty();
	}

	/** The context line for a worker connected to another watched master, or {@code null}. */
	String elsewhere(WorkerFacts w) {
		if (w.connected() || !connectedElsewhere(w)) {
			return null;
		}
		return "connected to master " + quoted(w.presence().connectedElsewhere())
				+ " under the same name, so not offline here (configured here too)";
	}

	/**
	 * {@code offline} for a latent worker: build requests for its builders waited {@code offline-after} and none
	 * started. {@code null} when it is simply between builds (disconnected is normal for it).
	 */
	Finding latentNotStarted(WorkerFacts w, List<BuildFacts> own, Instant now) {
		Presence p = w.presence();
		if (!waitedTooLong(p, now) || startedSince(own, p.oldestWaiting())) {
			return null;
		}
		return new Finding(Rule.LATENT_NOT_STARTED, "latent worker, not started: " + p.waiting()
				+ " build request" + plural(p.waiting()) + " for its builders have waited since "
				+ Durations.at(p.oldestWaiting()) + " (" + Durations.between(p.oldestWaiting(), now) + ", longer than "
				+ Durations.human(this.properties.offlineAfter()) + ") and none started");
	}

	/** The context line of a latent worker between builds. */
	String latentIdle(WorkerFacts w) {
		return "latent worker: disconnected between builds, as Buildbot starts it on demand"
				+ ((w.presence().waiting() > 0) ? " (" + w.presence().waiting() + " build request"
						+ plural(w.presence().waiting()) + " waiting since " + Durations.at(w.presence().oldestWaiting())
						+ ")" : "; no build request waits for it");
	}

	/**
	 * {@code flaky-host}: connected and unpaused, idle, while build requests for its builders waited
	 * {@code offline-after} and it started none (Buildbot shows a stale connection as connected: buildbot#4277).
	 */
	Finding unresponsive(WorkerFacts w, List<BuildFacts> own, boolean busy, Instant now) {
		Presence p = w.presence();
		if (!w.connected() || p.paused() || busy || !waitedTooLong(p, now) || startedSince(own, p.oldestWaiting())) {
			return null;
		}
		return new Finding(Rule.UNRESPONSIVE, "connected but started none of " + p.waiting() + " waiting build request"
				+ plural(p.waiting()) + " for its builders since " + Durations.at(p.oldestWaiting()) + " ("
				+ Durations.between(p.oldestWaiting(), now) + "), and no other worker took them");
	}

	/**
	 * When the worker went away: the last sign of it anywhere (the disconnect here, a step of its running build
	 * that finished after it, another watched master seeing it, the end of a planned downtime).
	 */
	Instant offlineSince(WorkerFacts w, Instant base) {
		Presence p = w.presence();
		Instant since = Durations.latest(base, p.lastActivity());
		if (this.properties.sameWorkerAcrossMasters()) {
			since = Durations.latest(since, p.lastSeenElsewhere());
		}
		return Durations.latest(since, p.downtimeEnded());
	}

	/** The context line when its running build went on after the disconnect, or {@code null}. */
	String activity(WorkerFacts w) {
		Instant activity = w.presence().lastActivity();
		if (w.connected() || activity == null || w.disconnectedAt() == null || !activity.isAfter(w.disconnectedAt())) {
			return null;
		}
		return "listed as disconnected since " + Durations.at(w.disconnectedAt()) + ", but its running build"
				+ " finished a step at " + Durations.at(activity);
	}

	private boolean waitedTooLong(Presence p, Instant now) {
		return p.waiting() > 0 && p.oldestWaiting() != null
				&& Duration.between(p.oldestWaiting(), now).compareTo(this.properties.offlineAfter()) >= 0;
	}

	private static boolean startedSince(List<BuildFacts> own, Instant since) {
		return own.stream().anyMatch((b) -> !b.startedAt().isBefore(since));
	}

	private static String quoted(List<String> masters) {
		return String.join(", ", masters.stream().map((m) -> "'" + m + "'").toList());
	}

	private static String plural(int n) {
		return (n == 1) ? "" : "s";
	}

}
