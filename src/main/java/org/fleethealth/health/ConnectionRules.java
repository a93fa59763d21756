package org.fleethealth.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.fleethealth.health.Facts.MasterFacts;
import org.fleethealth.health.Facts.WorkerFacts;
import org.fleethealth.system.Durations;

/**
 * The rules about a worker's connection to its master, and about the master answering at all: the master silent
 * for {@code stale-after} ({@code unknown}), never connected or not connected for {@code offline-after}
 * ({@code offline}), and connection flapping ({@code flaky-host}). One method per rule; each returns the finding,
 * or {@code null} when the rule does not apply. {@link PresenceRules} says when a disconnect says nothing.
 */
final class ConnectionRules {

	private final ClassificationProperties properties;

	private final PresenceRules presence;

	ConnectionRules(ClassificationProperties properties, PresenceRules presence) {
		this.properties = properties;
		this.presence = presence;
	}

	/** {@code unknown}: the master has not answered a poll for {@code stale-after}, or never has. */
	Finding masterSilent(MasterFacts master, Instant now) {
		if (master.lastAnswer() != null
				&& Duration.between(master.lastAnswer(), now).compareTo(this.properties.staleAfter()) <= 0) {
			return null;
		}
		List<String> lines = new ArrayList<>();
		lines.add((master.lastAnswer() != null)
				? "master '" + master.master() + "' has not answered since " + Durations.at(master.lastAnswer()) + " ("
						+ Durations.between(master.lastAnswer(), now) + ")"
				: "master '" + master.master() + "' has not answered yet");
		if (master.lastError() != null) {
			lines.add("last error: " + master.lastError());
		}
		return new Finding(Rule.MASTER_SILENT, lines);
	}

	/** {@code offline}: configured, and never connected since fleet-health first saw it. */
	Finding neverConnected(WorkerFacts w, String master) {
		if (w.everConnected()) {
			return null;
		}
		return new Finding(Rule.NEVER_CONNECTED, "configured on master '" + master + "' but has never connected");
	}

	/** {@code offline}: not connected for {@code offline-after} since {@link #offlineSince}. */
	Finding notConnected(WorkerFacts w, Instant now) {
		Instant since = offlineSince(w);
		Duration down = Duration.between(since, now);
		if (down.compareTo(this.properties.offlineAfter()) < 0) {
			return null;
		}
		List<String> lines = new ArrayList<>();
		lines.add("not connected since " + Durations.at(since) + " (" + Durations.human(down) + ")");
		if (w.lastBuildFinished() != null) {
			lines.add("last build finished " + Durations.at(w.lastBuildFinished()));
		}
		return new Finding(Rule.NOT_CONNECTED, lines);
	}

	/** The context line of a worker disconnected for less than {@code offline-after}. */
	String disconnectedRecently(WorkerFacts w, Instant now) {
		Instant since = offlineSince(w);
		return "disconnected since " + Durations.at(since) + " (" + Durations.between(since, now) + ", less than "
				+ Durations.human(this.properties.offlineAfter()) + ")";
	}

	/**
	 * When the worker went away: the disconnect a poll saw; failing that (it was already gone when fleet-health
	 * first looked), the last sign of life known; failing that, when it was first seen. Then the last sign of it
	 * anywhere ({@link PresenceRules#offlineSince}).
	 */
	Instant offlineSince(WorkerFacts w) {
		Instant base;
		if (w.disconnectedAt() != null) {
			base = w.disconnectedAt();
		}
		else {
			Instant lastSign = Durations.latest(w.lastSeenAt(), w.lastBuildFinished());
			base = (lastSign != null && w.everConnected()) ? lastSign : w.firstSeenAt();
		}
		return this.presence.offlineSince(w, base);
	}

	/**
	 * {@code flaky-host}: disconnected {@code flapping-disconnects} times or more in the window, not counting the
	 * disconnects its master's restarts and outages explain.
	 */
	Finding connectionFlapping(WorkerFacts w, MasterTrouble trouble) {
		int own = 0;
		int masters = 0;
		for (Instant at : w.disconnects()) {
			if (trouble.disconnect(at) != null) {
				masters++;
			}
			else {
				own++;
			}
		}
		if (own < this.properties.flappingDisconnects()) {
			return null;
		}
		return new Finding(Rule.CONNECTION_FLAPPING, "disconnected " + own + " times in the last "
				+ Durations.human(this.properties.window()) + " (connection flapping)"
				+ ((masters > 0) ? "; " + masters + " more disconnect" + EvidenceText.plural(masters)
						+ " came with master restarts or outages and do not count" : ""));
	}

}
