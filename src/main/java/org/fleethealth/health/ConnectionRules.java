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

	/**
	 * {@code offline}: configured, and never connected since fleet-health first saw it, here or (one worker across
	 * masters) on another watched master; one seen elsewhere is judged by {@link #notConnected} from that sign.
	 */
	Finding neverConnected(WorkerFacts w, String master) {
		if (w.everConnected()
				|| (this.properties.sameWorkerAcrossMasters() && w.presence().lastSeenElsewhere() != null)) {
			return null;
		}
		return new Finding(Rule.NEVER_CONNECTED, "configured on master '" + master + "' but has never connected");
	}

	/**
	 * {@code offline}: not connected for {@code offline-after} since {@link #offlineSince}; never while the
	 * master's restart or outage that dropped it lasts.
	 */
	Finding notConnected(WorkerFacts w, Instant now, MasterTrouble trouble) {
		Instant since = offlineSince(w, trouble);
		if (since == null) {
			return null;
		}
		Duration down = Duration.between(since, now);
		if (down.compareTo(this.properties.offlineAfter()) < 0) {
			return null;
		}
		List<String> lines = new ArrayList<>();
		String from = whence(w, since);
		lines.add("not connected since " + Durations.at(since) + " (" + Durations.human(down) + ")"
				+ ((from != null) ? ": " + from : ""));
		if (w.lastBuildFinished() != null) {
			lines.add("last build finished " + Durations.at(w.lastBuildFinished()));
		}
		return new Finding(Rule.NOT_CONNECTED, lines);
	}

	/** The context line of a worker disconnected for less than {@code offline-after}, or by its master's trouble. */
	String disconnectedRecently(WorkerFacts w, Instant now, MasterTrouble trouble) {
		Instant since = offlineSince(w, trouble);
		if (since == null) {
			Instant left = wentAway(w);
			return "disconnected since " + Durations.at(left) + " with " + trouble.disconnect(left)
					+ ", which lasts: its absence counts from when that ends";
		}
		String within = " (" + Durations.between(since, now) + ", less than " + Durations.human(this.properties.offlineAfter())
				+ ")";
		if (since.equals(w.disconnectedAt())) {
			return "disconnected since " + Durations.at(since) + within;
		}
		// Its absence counts from something later than a disconnect (a build that finished, a sign of it on another
		// master, the end of a downtime or of its master's outage): "disconnected since" a build's end read as a
		// disconnect nobody saw (a trial).
		String from = whence(w, since);
		return "not connected; its absence counts from " + Durations.at(since) + within
				+ ((from != null) ? ": " + from : "");
	}

	/**
	 * Where the instant an absence counts from comes from, when it is not this master's own sign of the worker: the
	 * end of a planned downtime, a sign of it on another watched master, or this master's first look at a worker
	 * already gone. A trial read "not
	 * connected since" a date that was another master's build, and one that was fleet-health's first look, as if
	 * each were a disconnect seen here.
	 */
	private static String whence(WorkerFacts w, Instant since) {
		Instant own = ownSign(w);
		if (since.equals(own)) {
			return null;
		}
		if (since.equals(w.presence().downtimeEnded())) {
			return "when its planned downtime ended (the offline clock does not run inside a window)";
		}
		if (since.equals(w.presence().lastSeenElsewhere()) && w.presence().lastSeenElsewhereIs() != null) {
			return w.presence().lastSeenElsewhereIs();
		}
		if (own == null && since.equals(w.firstSeenAt())) {
			return "when fleet-health first looked, it was gone already (for how long before, nothing here tells)";
		}
		return null;
	}

	/**
	 * When the worker went away, as far as it is its own doing: the disconnect a poll saw; failing that (it was
	 * already gone when fleet-health first looked), the last sign of life known; failing that, the last sign of it on
	 * another watched master; failing that, when it was first seen. A disconnect or last sign that its master's restart or outage explains counts from when that ended
	 * ({@code null} while it lasts). Then the last sign of it anywhere ({@link PresenceRules#offlineSince}).
	 */
	Instant offlineSince(WorkerFacts w, MasterTrouble trouble) {
		Instant elsewhere = w.presence().lastSeenElsewhere();
		if (elsewhere != null && ownSign(w) == null) {
			// Gone here before the first look, and seen on another watched master (same-worker-across-masters): that
			// sign dates its absence, not this master's first look, which is no sign of it (a trial read a staging
			// master's workers, dead for days on production, "healthy" for an hour, then offline since its first look).
			return this.presence.offlineSince(w, elsewhere);
		}
		Instant base = wentAway(w);
		if (w.disconnectedAt() != null || w.everConnected()) {
			base = trouble.absentFrom(base);
			if (base == null) {
				return null;
			}
		}
		return this.presence.offlineSince(w, base);
	}

	private static Instant wentAway(WorkerFacts w) {
		if (w.disconnectedAt() != null) {
			return w.disconnectedAt();
		}
		Instant own = ownSign(w);
		return (own != null) ? own : w.firstSeenAt();
	}

	/** The disconnect a poll saw, else the last sign of life known here; {@code null} if neither is known. */
	private static Instant ownSign(WorkerFacts w) {
		if (w.disconnectedAt() != null) {
			return w.disconnectedAt();
		}
		Instant lastSign = Durations.latest(w.lastSeenAt(), w.lastBuildFinished());
		return (lastSign != null && w.everConnected()) ? lastSign : null;
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
						+ ((masters == 1) ? " came with a master restart or outage and does not count"
								: " came with master restarts or outages and do not count") : ""));
	}

}
