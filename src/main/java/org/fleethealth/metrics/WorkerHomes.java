package org.fleethealth.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fleethealth.health.WorkerReport;

/**
 * Which watched master counts a worker that several of them list under one name (LLVM's production and staging
 * masters list the same workers): the first, in configuration order, it is connected to; connected to none, the
 * first that lists it. Every other master's {@code fleet_workers} counts it too, and
 * {@code fleet_workers_counted_elsewhere} says so, so that a sum over masters can count it once.
 */
final class WorkerHomes {

	private static final WorkerHomes NONE = new WorkerHomes(Map.of());

	/** Master counting the worker, by worker name; only names listed on two watched masters or more. */
	private final Map<String, String> home;

	private WorkerHomes(Map<String, String> home) {
		this.home = home;
	}

	/**
	 * @param byMaster each master's latest reports
	 * @param watched the masters configured now, in configuration order (others count nobody)
	 * @param sameWorkerAcrossMasters {@code fleet-health.classification.same-worker-across-masters}: when false, a
	 * name on two masters is two workers, each counted where it is listed
	 */
	static WorkerHomes of(Map<String, List<WorkerReport>> byMaster, List<String> watched,
			boolean sameWorkerAcrossMasters) {
		if (!sameWorkerAcrossMasters || watched.size() < 2) {
			return NONE;
		}
		Map<String, String> firstListing = new HashMap<>();
		Map<String, String> firstConnected = new HashMap<>();
		Map<String, Integer> listings = new HashMap<>();
		for (String master : watched) {
			for (WorkerReport w : byMaster.getOrDefault(master, List.of())) {
				firstListing.putIfAbsent(w.name(), master);
				listings.merge(w.name(), 1, Integer::sum);
				if (w.connected()) {
					firstConnected.putIfAbsent(w.name(), master);
				}
			}
		}
		Map<String, String> home = new HashMap<>();
		listings.forEach((name, count) -> {
			if (count > 1) {
				home.put(name, firstConnected.getOrDefault(name, firstListing.get(name)));
			}
		});
		return new WorkerHomes(home);
	}

	/** Whether another watched master counts this master's worker. */
	boolean countedElsewhere(String master, WorkerReport worker) {
		String at = this.home.get(worker.name());
		return at != null && !at.equals(master);
	}

}
