package org.fleethealth.fleet.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.fleethealth.fleet.FleetHeard;
import org.fleethealth.fleet.MasterInterruption;
import org.fleethealth.source.SourceWorker;
import org.fleethealth.system.MasterLocks;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores what a master's live stream says about its workers, each change at the instant it was heard: the exact
 * time of a connect or a disconnect, where a poll only knows it happened since the previous one.
 */
@Component
public class StreamStore {

	private final WorkerStore store;

	private final Workers workers;

	private final MasterEvents events;

	private final SourceMasterStates sourceMasters;

	private final MasterLocks locks;

	StreamStore(WorkerStore store, Workers workers, MasterEvents events, SourceMasterStates sourceMasters,
			MasterLocks locks) {
		this.locks = locks;
		this.store = store;
		this.workers = workers;
		this.events = events;
		this.sourceMasters = sourceMasters;
	}

	/**
	 * A worker as the stream announced it (a connect, a disconnect, a pause or unpause).
	 *
	 * @param worker the worker as the master has it now (the same shape as in its workers list)
	 * @param at when the event arrived (the master sends no time with worker events)
	 */
	public record Heard(SourceWorker worker, Instant at) {
	}

	/**
	 * Applies a batch of streamed changes of one master's workers, in order, each at its own instant. Two or more
	 * disconnects in one batch are recorded as one mass disconnect, as a poll that sees them does: whether that is
	 * the master's doing is the classification's to judge.
	 *
	 * @return how many connects, disconnects, pauses and unpauses were recorded, and the connections that changed
	 */
	@Transactional
	public Saved saveHeard(String master, List<Heard> batch) {
		if (batch.isEmpty()) {
			return new Saved(0, List.of(), false);
		}
		// Every instance of a cluster hears the stream: the first stores a change, the others find it stored.
		this.locks.lock(MasterLocks.WORKERS, master);
		Map<String, FleetHeard.Connection> connections = new LinkedHashMap<>();
		Set<Long> inactive = this.sourceMasters.findByMaster(master)
			.stream()
			.filter((m) -> !m.isActive())
			.map(SourceMasterState::getBuildbotId)
			.collect(Collectors.toSet());
		Map<String, Worker> seen = new HashMap<>();
		int connectedBefore = -1;
		int changes = 0;
		int dropped = 0;
		Instant firstDrop = null;
		for (Heard heard : batch) {
			if (this.store.nameTooLong(master, heard.worker().name())) {
				continue;
			}
			if (connectedBefore < 0) {
				connectedBefore = this.workers.countByMasterAndConnectedTrue(master);
			}
			SourceWorker observed = this.store.fitted(master, heard.worker());
			Worker worker = seen.computeIfAbsent(observed.name(), (name) -> this.workers.findByMasterAndName(master, name)
				.orElseGet(() -> new Worker(master, name, heard.at())));
			// The disconnect is heard as it happens: the worker was seen until then.
			Worker.Transition transition = worker.observe(observed, heard.at(), heard.at(),
					this.store.unconfiguredAfter(), inactive);
			Worker.Pause pause = worker.observePause(observed, heard.at());
			if (worker.getId() == null) {
				worker = this.workers.save(worker);
				seen.put(worker.getName(), worker);
			}
			this.store.record(worker, transition, heard.at());
			this.store.record(worker, pause, observed.pauseReason(), heard.at());
			changes += ((transition != Worker.Transition.NONE) ? 1 : 0) + ((pause != Worker.Pause.NONE) ? 1 : 0);
			if (transition != Worker.Transition.NONE) {
				connections.put(worker.getName(), new FleetHeard.Connection(worker.getName(),
						transition == Worker.Transition.CONNECTED, heard.at()));
			}
			if (transition == Worker.Transition.DISCONNECTED) {
				dropped++;
				firstDrop = (firstDrop != null) ? firstDrop : heard.at();
			}
		}
		if (dropped >= 2) {
			Instant last = batch.get(batch.size() - 1).at();
			this.events.save(new MasterEvent(master, MasterInterruption.Kind.DISCONNECTS, firstDrop, last,
					dropped + " of " + connectedBefore + " connected workers disconnected within " + between(firstDrop, last)
							+ " (heard live)")
				.affecting(dropped, connectedBefore));
		}
		// Half or more of those connected: a master that stops drops them all, perhaps over several batches, the last
		// of which drops whoever is left. A few workers dropping together in a large fleet is no news about the master.
		boolean massDisconnect = dropped > 0 && dropped * 2 >= connectedBefore;
		return new Saved(changes, List.copyOf(connections.values()), massDisconnect);
	}

	/**
	 * What a batch recorded.
	 *
	 * @param changes connects, disconnects, pauses and unpauses
	 * @param connections the workers whose connection changed, each as the batch left it
	 * @param massDisconnect whether half or more of the workers connected before the batch dropped (the last connected
	 * one, say): what a master that stops sends before it goes quiet
	 */
	public record Saved(int changes, List<FleetHeard.Connection> connections, boolean massDisconnect) {
	}

	private static String between(Instant from, Instant to) {
		long millis = java.time.Duration.between(from, to).toMillis();
		return (millis < 1000) ? millis + " ms" : (millis / 1000) + " s";
	}

}
