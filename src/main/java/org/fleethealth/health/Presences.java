package org.fleethealth.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.WorkerPresences;
import org.fleethealth.fleet.FleetWorker;
import org.fleethealth.fleet.MasterInterruption;
import org.fleethealth.fleet.WaitingRequests;
import org.fleethealth.fleet.WorkerPresence;
import org.fleethealth.health.Facts.Presence;
import org.fleethealth.source.SourceMaster;
import org.fleethealth.system.Durations;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Gathers what tells whether each worker of a master is there besides its connection ({@link Presence}): its pause,
 * the other watched masters it is connected to, waiting build requests for its builders, planned downtime, whether
 * it is latent, and whether the master process it belongs to runs.
 */
@Component
class Presences {

	private final FleetQueries fleet;

	private final WorkerPresences everywhere;

	private final Downtimes downtimes;

	private final ClassificationProperties properties;

	private final List<Pattern> latent;

	private final ObjectProvider<PauseReasons> pauseReasons;

	private final DowntimeChecks downtimeChecks;

	Presences(FleetQueries fleet, WorkerPresences everywhere, Downtimes downtimes, ClassificationProperties properties,
			ObjectProvider<PauseReasons> pauseReasons, DowntimeChecks downtimeChecks) {
		this.pauseReasons = pauseReasons;
		this.downtimeChecks = downtimeChecks;
		this.fleet = fleet;
		this.everywhere = everywhere;
		this.downtimes = downtimes;
		this.properties = properties;
		this.latent = properties.latentWorkers().stream().map(Presences::glob).toList();
	}

	/** The presence of each of the master's workers, by the worker's id in the database. */
	Map<Long, Presence> of(String master, List<FleetWorker> workers, Instant now) {
		this.downtimeChecks.read(master, workers);
		Map<String, List<WorkerPresence>> elsewhere = elsewhere(master);
		Map<String, List<MasterInterruption>> troubleElsewhere = troubleElsewhere(elsewhere, now);
		Map<Long, WaitingRequests> waiting = this.fleet.waitingRequests(master);
		Map<Long, SourceMaster> processes = this.fleet.masterProcesses(master)
			.stream()
			.collect(Collectors.toMap(SourceMaster::id, (m) -> m));
		Map<String, String> reasons = new HashMap<>();
		this.pauseReasons.orderedStream().forEach((r) -> r.pauseReasons(master).forEach(reasons::putIfAbsent));
		Map<Long, Presence> presences = new HashMap<>();
		for (FleetWorker w : workers) {
			List<WorkerPresence> others = elsewhere.getOrDefault(w.name(), List.of());
			List<String> connected = others.stream().filter(WorkerPresence::connected).map(WorkerPresence::master).toList();
			Sign seenElsewhere = seenElsewhere(w, others, troubleElsewhere, now);
			int requests = 0;
			Instant oldest = null;
			for (Long builder : w.builderIds()) {
				WaitingRequests r = waiting.get(builder);
				if (r != null) {
					requests += r.waiting();
					oldest = (oldest == null || r.oldestSubmittedAt().isBefore(oldest)) ? r.oldestSubmittedAt() : oldest;
				}
			}
			Instant waitingSince = waitingSince(w, oldest);
			// What the master says (4.x) wins; fleet-health's own pauses are explained where it says nothing (3.7).
			String pauseReason = (w.pauseReason() != null || !w.paused()) ? w.pauseReason() : reasons.get(w.name());
			presences.put(w.id(), new Presence(w.paused(), w.pausedSince(), pauseReason, connected,
					(seenElsewhere != null) ? seenElsewhere.at() : null, w.lastActivityAt(), isLatent(w.name()), requests, waitingSince,
					this.downtimes.current(w.name(), now).orElse(null),
					w.connected() ? null : downtimeEnded(w, seenElsewhere, now),
					inactive(w, processes), (seenElsewhere != null) ? seenElsewhere.is() : null));
		}
		return presences;
	}

	/**
	 * When the last planned downtime that counts for a worker not connected ended: one that ended after the last
	 * sign of it (an older one changes nothing) and began before it was gone for {@code offline-after} (one that began
	 * later plans nothing for a worker offline already). Its disconnect is not always known: for a worker already gone
	 * when first seen, with no sign of it, that first look stands in.
	 */
	private Instant downtimeEnded(FleetWorker w, Sign seenElsewhere, Instant now) {
		if (!this.downtimes.any()) {
			return null;
		}
		Instant sign = Durations.latest(Durations.latest(w.disconnectedAt(), w.lastSeenAt()),
				Durations.latest(w.lastActivityAt(), w.lastBuildFinishedAt()));
		sign = Durations.latest(sign, (seenElsewhere != null) ? seenElsewhere.at() : null);
		Instant since = (sign != null) ? sign : w.firstSeenAt();
		return this.downtimes.lastEnded(w.name(), since, this.properties.offlineAfter(), now).orElse(null);
	}

	/**
	 * Since when work has waited on the worker, as far as it can be blamed: from the oldest waiting request, but not
	 * before it last (re)connected, nor before it was last unpaused. A request that waited while it was away (on
	 * another master, or down) or paused says nothing of whether it takes work. A worker connected when first seen
	 * may have been connected long before.
	 */
	private static Instant waitingSince(FleetWorker w, Instant oldest) {
		if (oldest == null) {
			return null;
		}
		boolean reconnected = w.connected() && w.connectedSince() != null && w.firstSeenAt() != null
				&& w.connectedSince().isAfter(w.firstSeenAt());
		Instant since = reconnected ? Durations.latest(oldest, w.connectedSince()) : oldest;
		return Durations.latest(since, w.unpausedAt());
	}

	/** The restarts and outages in the window of the other watched masters that have the master's workers. */
	private Map<String, List<MasterInterruption>> troubleElsewhere(Map<String, List<WorkerPresence>> elsewhere,
			Instant now) {
		Map<String, List<MasterInterruption>> trouble = new HashMap<>();
		elsewhere.values()
			.forEach((presences) -> presences.forEach((p) -> trouble.computeIfAbsent(p.master(),
					(m) -> this.fleet.interruptionsSince(m, now.minus(this.properties.window())))));
		return trouble;
	}

	/**
	 * The last sign of the worker on the other watched masters that have it. Another master's first look at a worker
	 * already gone there ({@link WorkerPresence#presumed}) is no sign of it: it counts only where nothing is known of
	 * the worker otherwise, neither here nor there (then it is not "never connected", and is judged from that first
	 * look, as that master judges it).
	 */
	private Sign seenElsewhere(FleetWorker w, List<WorkerPresence> others,
			Map<String, List<MasterInterruption>> trouble, Instant now) {
		Sign seen = null;
		Sign presumed = null;
		for (WorkerPresence p : others) {
			if (p.presumed()) {
				presumed = Sign.later(presumed, new Sign(p.lastSeen(), "when fleet-health first looked at master '"
						+ p.master() + "', where it was gone already"));
			}
			else {
				Instant at = lastSign(p, trouble, now);
				seen = (at != null) ? Sign.later(seen, new Sign(at, "the last sign of it on master '" + p.master() + "'"))
						: seen;
			}
		}
		// As ConnectionRules dates an absence from its own signs: a disconnect seen, or a sighting or a build's end of
		// a worker that connected.
		boolean knownHere = w.connected() || w.disconnectedAt() != null
				|| (w.everConnected() && (w.lastSeenAt() != null || w.lastBuildFinishedAt() != null));
		return (seen != null || knownHere) ? seen : presumed;
	}

	/** A sign of a worker on another master: when, and what it is, for the evidence. */
	private record Sign(Instant at, String is) {

		static Sign later(Sign a, Sign b) {
			return (a == null || b.at().isAfter(a.at())) ? b : a;
		}

	}

	/**
	 * The last sign of the worker on another watched master: a worker that master dropped with its own restart or
	 * outage was there until that ended, and counts as seen now while it lasts (it cannot say, and a production
	 * master's outage must not turn the workers it shares with a staging master offline there).
	 */
	private Instant lastSign(WorkerPresence p, Map<String, List<MasterInterruption>> trouble, Instant now) {
		if (p.connected() || p.disconnectedAt() == null) {
			return p.lastSeen();
		}
		Instant from = MasterTrouble.absentFrom(trouble.getOrDefault(p.master(), List.of()), p.disconnectedAt(),
				this.properties);
		// Not explained: its last sign there is when it was last seen connected, as before.
		return (from == null) ? now : (from.equals(p.disconnectedAt()) ? p.lastSeen() : from);
	}

	/** The same worker names on the other watched masters (when they are one worker). */
	private Map<String, List<WorkerPresence>> elsewhere(String master) {
		if (!this.properties.sameWorkerAcrossMasters() || this.fleet.masterNames().size() < 2) {
			return Map.of();
		}
		Map<String, List<WorkerPresence>> byName = new HashMap<>();
		for (WorkerPresence p : this.everywhere.all()) {
			if (!p.master().equals(master)) {
				byName.computeIfAbsent(p.name(), (k) -> new ArrayList<>()).add(p);
			}
		}
		return byName;
	}

	/**
	 * Why the worker's master process does not run, or {@code null}: it is connected to (else configured on) Buildbot
	 * master processes that are all inactive, while another process is active (it answers the API).
	 */
	private static String inactive(FleetWorker w, Map<Long, SourceMaster> processes) {
		Set<Long> ids = !w.connectedTo().isEmpty() ? w.connectedTo() : w.configuredOn();
		if (ids.isEmpty() || processes.values().stream().noneMatch(SourceMaster::active)) {
			// With no process active, the one answering is starting up: Buildbot serves its API and takes workers
			// back before it marks itself active again (master.py startService), so a restart reads so for a moment.
			return null;
		}
		List<SourceMaster> its = ids.stream().map(processes::get).filter((m) -> m != null).toList();
		if (its.isEmpty() || its.stream().anyMatch(SourceMaster::active)) {
			return null;
		}
		SourceMaster m = its.get(0);
		return "its Buildbot master " + ((m.name() != null) ? "'" + m.name() + "' " : "") + "(id " + m.id()
				+ ") is inactive" + ((m.lastActive() != null) ? " since its last heartbeat at "
						+ Durations.at(m.lastActive()) : "")
				+ ": whether the worker is there cannot be told while another master answers";
	}

	private boolean isLatent(String worker) {
		return this.latent.stream().anyMatch((p) -> p.matcher(worker).matches());
	}

	/** A name pattern with {@code *} (any characters) and {@code ?} (one). */
	static Pattern glob(String pattern) {
		StringBuilder regex = new StringBuilder();
		for (char c : pattern.toCharArray()) {
			regex.append(switch (c) {
				case '*' -> ".*";
				case '?' -> ".";
				default -> Pattern.quote(String.valueOf(c));
			});
		}
		return Pattern.compile(regex.toString());
	}

}
