package org.fleethealth.fleet;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceWorker;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes what one poll saw. Each method is one transaction, so a poll that fails half-way leaves the last
 * complete picture (and the build cursor) as it was: nothing is wiped, nothing is skipped.
 */
@Component
class FleetStore {

	private static final int LOOKUP_CHUNK = 1000;

	private final MasterStates masters;

	private final Workers workers;

	private final Transitions transitions;

	private final Builders builders;

	private final Builds builds;

	FleetStore(MasterStates masters, Workers workers, Transitions transitions,
			Builders builders, Builds builds) {
		this.masters = masters;
		this.workers = workers;
		this.transitions = transitions;
		this.builders = builders;
		this.builds = builds;
	}

	@Transactional
	public MasterState master(String name, String url) {
		MasterState state = this.masters.findByName(name).orElseGet(() -> new MasterState(name, url));
		state.setUrl(url);
		return this.masters.save(state);
	}

	@Transactional
	public void succeeded(String master, PollKind kind, Instant at) {
		this.masters.findByName(master).ifPresent((state) -> state.succeeded(kind, at));
	}

	@Transactional
	public void failed(String master, PollKind kind, String error, Instant at, Instant nextAttempt) {
		this.masters.findByName(master).ifPresent((state) -> state.failed(kind, error, at, nextAttempt));
	}

	@Transactional
	public void saveWorkers(String master, List<SourceWorker> seen, Instant now) {
		Map<String, Worker> known = this.workers.findByMaster(master)
			.stream()
			.collect(Collectors.toMap(Worker::getName, Function.identity()));
		for (SourceWorker observed : seen) {
			Worker worker = known.remove(observed.name());
			if (worker == null) {
				worker = new Worker(master, observed.name(), now);
			}
			Worker.Transition transition = worker.observe(observed, now);
			worker = this.workers.save(worker);
			record(worker, transition, now);
		}
		for (Worker gone : known.values()) {
			boolean wasConnected = gone.isConnected();
			gone.vanished(now);
			if (wasConnected) {
				record(gone, Worker.Transition.DISCONNECTED, now);
			}
		}
	}

	private void record(Worker worker, Worker.Transition transition, Instant now) {
		if (transition != Worker.Transition.NONE) {
			this.transitions
				.save(new WorkerTransition(worker.getId(), transition == Worker.Transition.CONNECTED, now));
		}
	}

	@Transactional(readOnly = true)
	public long configuredWorkers(String master) {
		return this.workers.findByMasterAndConfiguredTrueOrderByName(master).size();
	}

	@Transactional
	public void saveBuilders(String master, List<SourceBuilder> seen) {
		Set<Long> current = new HashSet<>();
		this.workers.findByMaster(master)
			.stream()
			.filter(Worker::isConfigured)
			.forEach((worker) -> current.addAll(worker.getBuilderIds()));
		Map<Long, Builder> known = this.builders.findByMaster(master)
			.stream()
			.collect(Collectors.toMap(Builder::getBuildbotId, Function.identity()));
		for (SourceBuilder observed : seen) {
			Builder builder = known.computeIfAbsent(observed.id(), (id) -> new Builder(master, id));
			builder.update(observed, current.contains(observed.id()));
			this.builders.save(builder);
		}
	}

	/** Stores builds and moves the cursor in the same transaction. */
	@Transactional
	public void saveBuilds(String master, Collection<SourceBuild> seen, Long newCursor) {
		Map<Long, Build> known = known(master, seen);
		for (SourceBuild observed : seen) {
			Build build = known.computeIfAbsent(observed.id(), (id) -> new Build(master, id));
			build.update(observed);
			this.builds.save(build);
		}
		if (newCursor != null) {
			this.masters.findByName(master).ifPresent((state) -> state.setBuildCursor(newCursor));
		}
	}

	/**
	 * The stored builds among those seen. Pages are runs of consecutive ids, so they are read as ranges of the
	 * unique (master, buildbot_id) index, at most {@value #LOOKUP_CHUNK} ids and twice that span per query: an
	 * IN list of a page's ids made H2 compare every stored build of the master with every id (cost growing with
	 * the history), and a backfill has more ids than a statement takes parameters (H2 100,000, PostgreSQL
	 * 65,535).
	 */
	private Map<Long, Build> known(String master, Collection<SourceBuild> seen) {
		long[] ids = seen.stream().mapToLong(SourceBuild::id).sorted().distinct().toArray();
		Map<Long, Build> known = new HashMap<>();
		int from = 0;
		while (from < ids.length) {
			int to = from;
			while (to + 1 < ids.length && to + 1 - from < LOOKUP_CHUNK && ids[to + 1] - ids[from] < 2L * LOOKUP_CHUNK) {
				to++;
			}
			this.builds.findByMasterAndBuildbotIdBetween(master, ids[from], ids[to])
				.forEach((build) -> known.put(build.getBuildbotId(), build));
			from = to + 1;
		}
		return known;
	}

	@Transactional
	public void resetCursor(String master) {
		this.masters.findByName(master).ifPresent((state) -> state.setBuildCursor(null));
	}

	@Transactional
	public void saveFailingStep(String master, long buildId, String step) {
		this.builds.findByMasterAndBuildbotIdIn(master, List.of(buildId))
			.forEach((build) -> build.failingStep(step));
	}

}
