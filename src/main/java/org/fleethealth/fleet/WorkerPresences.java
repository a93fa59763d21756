package org.fleethealth.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fleethealth.fleet.internal.MasterStates;
import org.fleethealth.fleet.internal.Transitions;
import org.fleethealth.fleet.internal.Worker;
import org.fleethealth.fleet.internal.Workers;
import org.fleethealth.system.Durations;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * One worker configured on several watched masters (LLVM's production and staging), as each of them sees it: read
 * access for other modules, beside {@link FleetQueries}.
 */
@Service
@Transactional(readOnly = true)
public class WorkerPresences {

	private final FleetQueries fleet;

	private final MasterStates masters;

	private final Workers workers;

	private final Transitions transitions;

	WorkerPresences(FleetQueries fleet, MasterStates masters, Workers workers, Transitions transitions) {
		this.fleet = fleet;
		this.masters = masters;
		this.workers = workers;
		this.transitions = transitions;
	}

	/**
	 * Every configured worker of every watched master, for workers configured on several of them. A master no longer
	 * watched (removed or renamed in the configuration) keeps its rows in the database, and is left out: its last
	 * word on a worker would stand for ever (a trial: "connected to master 'llvm' under the same name, so not offline
	 * here" after 'llvm' was renamed 'production').
	 */
	public List<WorkerPresence> all() {
		Set<String> watched = Set.copyOf(this.fleet.masterNames());
		Map<String, Instant> polled = new HashMap<>();
		this.masters.findAll().forEach((m) -> polled.put(m.getName(), m.getWorkersPolledAt()));
		return this.workers.findByConfiguredTrue()
			.stream()
			.filter((w) -> watched.contains(w.getMaster()))
			.map((w) -> presence(w, polled.get(w.getMaster())))
			.toList();
	}

	/**
	 * The worker as one master sees it. Its last sign there is the last poll that saw it connected, or the end of its
	 * last build there, whichever is later. A worker with neither that its master says connected before (it reported
	 * its host: it was gone when fleet-health first looked) is presumed seen when fleet-health first saw it there: that
	 * master counts its absence from then, and the other masters that have it must not call it never connected (the
	 * second trial: "never connected" on staging, "disconnected 18s" on production). It is no sign of the worker,
	 * though, and does not count where one is known (a later trial: a staging master's first look made production's
	 * workers, dead for days, "healthy" for an hour, then offline since that first look).
	 */
	private static WorkerPresence presence(Worker w, Instant workersPolledAt) {
		FleetWorker view = w.view();
		Instant lastSeen = Durations.latest(w.lastSeen(workersPolledAt), view.lastBuildFinishedAt());
		boolean presumed = lastSeen == null && view.everConnected() && view.firstSeenAt() != null;
		return new WorkerPresence(w.getMaster(), w.getName(), w.isConnected(), presumed ? view.firstSeenAt() : lastSeen,
				w.isConnected() ? null : view.disconnectedAt(), presumed);
	}

	/**
	 * When workers connected to the other watched masters since an instant, by worker name, oldest first: a worker
	 * configured on several that moves from one to another drops from one as it connects to the other. Masters no
	 * longer watched are left out, as in {@link #all()}.
	 */
	public Map<String, List<Instant>> connectsElsewhereSince(String master, Instant since) {
		Set<String> watched = Set.copyOf(this.fleet.masterNames());
		Map<String, List<Instant>> byName = new HashMap<>();
		for (Object[] row : this.transitions.findElsewhereSince(master, since, WorkerChange.Kind.CONNECTED)) {
			if (!watched.contains((String) row[2])) {
				continue;
			}
			byName.computeIfAbsent((String) row[0], (k) -> new ArrayList<>()).add((Instant) row[1]);
		}
		byName.values().forEach(Collections::sort);
		return byName;
	}

}
