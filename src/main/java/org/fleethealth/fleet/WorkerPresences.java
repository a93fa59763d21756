package org.fleethealth.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fleethealth.fleet.internal.MasterStates;
import org.fleethealth.fleet.internal.Transitions;
import org.fleethealth.fleet.internal.Worker;
import org.fleethealth.fleet.internal.Workers;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * One worker configured on several watched masters (LLVM's production and staging), as each of them sees it: read
 * access for other modules, beside {@link FleetQueries}.
 */
@Service
@Transactional(readOnly = true)
public class WorkerPresences {

	private final MasterStates masters;

	private final Workers workers;

	private final Transitions transitions;

	WorkerPresences(MasterStates masters, Workers workers, Transitions transitions) {
		this.masters = masters;
		this.workers = workers;
		this.transitions = transitions;
	}

	/** Every configured worker of every watched master, for workers configured on several of them. */
	public List<WorkerPresence> all() {
		Map<String, Instant> polled = new HashMap<>();
		this.masters.findAll().forEach((m) -> polled.put(m.getName(), m.getWorkersPolledAt()));
		return this.workers.findByConfiguredTrue()
			.stream()
			.map((w) -> presence(w, polled.get(w.getMaster())))
			.toList();
	}

	/**
	 * A worker never seen connected that its master says connected before (it reported its host: it was gone when
	 * fleet-health first looked) was last seen, as far as is known, when fleet-health first saw it there. That master
	 * counts its absence from then; the other masters that have it must too, not call it never connected (the second
	 * trial: "never connected" on staging, "disconnected 18s" on production).
	 */
	private static WorkerPresence presence(Worker w, Instant workersPolledAt) {
		FleetWorker view = w.view();
		Instant lastSeen = w.lastSeen(workersPolledAt);
		if (lastSeen == null && view.everConnected()) {
			lastSeen = view.firstSeenAt();
		}
		return new WorkerPresence(w.getMaster(), w.getName(), w.isConnected(), lastSeen,
				w.isConnected() ? null : view.disconnectedAt());
	}

	/**
	 * When workers connected to the other watched masters since an instant, by worker name, oldest first: a worker
	 * configured on several that moves from one to another drops from one as it connects to the other.
	 */
	public Map<String, List<Instant>> connectsElsewhereSince(String master, Instant since) {
		Map<String, List<Instant>> byName = new HashMap<>();
		for (Object[] row : this.transitions.findElsewhereSince(master, since, WorkerChange.Kind.CONNECTED)) {
			byName.computeIfAbsent((String) row[0], (k) -> new ArrayList<>()).add((Instant) row[1]);
		}
		byName.values().forEach(Collections::sort);
		return byName;
	}

}
