package org.fleethealth.fleet;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fleethealth.fleet.internal.OwnerResolver;
import org.fleethealth.fleet.internal.Worker;
import org.fleethealth.fleet.internal.Workers;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Whom to ask about a worker ({@link OwnerResolver}: configuration, then what the worker reports as
 * {@code info/admin}). An owner goes with a worker's name, as {@code fleet-health.owners[<worker>]} does: a worker
 * that reports nothing on one watched master, as a staging master's entry of a worker that only ever connects to
 * production, is owned as the same name reports on another watched master.
 */
@Service
@Transactional(readOnly = true)
public class WorkerOwners {

	private final Workers workers;

	private final OwnerResolver owners;

	private final FleetQueries fleet;

	WorkerOwners(Workers workers, OwnerResolver owners, FleetQueries fleet) {
		this.workers = workers;
		this.owners = owners;
		this.fleet = fleet;
	}

	/** The owner of a worker as read. */
	public Owner owner(FleetWorker worker) {
		return this.owners.resolve(worker.name(), admin(worker.master(), worker.name(), worker.admin()));
	}

	/** The owner of a worker by name; {@link Owner#NONE} unless configuration or some master tells. */
	public Owner owner(String master, String worker) {
		String admin = this.workers.findByMasterAndName(master, worker).map(Worker::getAdmin).orElse(null);
		return this.owners.resolve(worker, admin(master, worker, admin));
	}

	/**
	 * The owners of a master's workers, by the worker's id: one read for all those that report nothing there.
	 */
	public Map<Long, Owner> owners(String master, List<FleetWorker> workers) {
		List<String> silent = workers.stream().filter((w) -> w.admin() == null).map(FleetWorker::name).toList();
		Map<String, String> elsewhere = adminsElsewhere(master, silent);
		Map<Long, Owner> owners = new HashMap<>();
		for (FleetWorker w : workers) {
			String admin = (w.admin() != null) ? w.admin() : elsewhere.get(w.name());
			owners.put(w.id(), this.owners.resolve(w.name(), admin));
		}
		return owners;
	}

	private String admin(String master, String worker, String admin) {
		return (admin != null) ? admin : adminsElsewhere(master, List.of(worker)).get(worker);
	}

	/** What the same names report as {@code info/admin} on the other watched masters (the first found). */
	private Map<String, String> adminsElsewhere(String master, Collection<String> names) {
		if (names.isEmpty() || this.fleet.masterNames().size() < 2) {
			return Map.of();
		}
		Map<String, String> admins = new HashMap<>();
		for (Worker w : this.workers.findByNameInAndMasterNotOrderByMaster(names, master)) {
			if (w.getAdmin() != null) {
				admins.putIfAbsent(w.getName(), w.getAdmin());
			}
		}
		return admins;
	}

}
