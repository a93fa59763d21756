package org.fleethealth.web;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.fleethealth.fleet.MasterStatus;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;

/**
 * One master on the overview: whether its polls work, and how many of its workers are in each state.
 *
 * @param name the master
 * @param url its web UI
 * @param polled whether it was ever polled
 * @param up whether the last poll of any kind succeeded
 * @param lastSuccess when a poll last succeeded
 * @param lastError the last poll error, if any
 * @param lastErrorAt when it happened
 * @param consecutiveFailures failed polls in a row
 * @param counts workers per state
 * @param total its configured workers
 */
public record MasterPanel(String name, String url, boolean polled, boolean up, Instant lastSuccess, String lastError,
		Instant lastErrorAt, int consecutiveFailures, Map<WorkerState, Integer> counts, int total) {

	static MasterPanel of(String name, MasterStatus state, List<WorkerReport> workers) {
		Map<WorkerState, Integer> counts = new EnumMap<>(WorkerState.class);
		for (WorkerState s : WorkerState.values()) {
			counts.put(s, 0);
		}
		workers.forEach((w) -> counts.merge(w.state(), 1, Integer::sum));
		if (state == null) {
			return new MasterPanel(name, null, false, false, null, null, null, 0, counts, workers.size());
		}
		return new MasterPanel(name, state.url(), true, state.up(), state.lastSuccessAt(), state.lastError(),
				state.lastErrorAt(), state.consecutiveFailures(), counts, workers.size());
	}

	/** How many of its workers are in a state. */
	public int count(WorkerState state) {
		return this.counts.getOrDefault(state, 0);
	}

}
