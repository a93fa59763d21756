package org.fleethealth.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.health.Facts.BuilderFacts;
import org.fleethealth.health.Facts.MasterFacts;
import org.fleethealth.health.Facts.WorkerFacts;

/**
 * One master's facts at one instant, indexed for the rules: the window's finished builds in id order, by worker
 * and by builder, and each build's branch.
 */
final class Round {

	final MasterFacts master;

	final Instant now;

	final Instant windowStart;

	final List<BuildFacts> builds;

	private final Map<Long, List<BuildFacts>> byWorker = new HashMap<>();

	private final Map<Long, List<BuildFacts>> byBuilder = new HashMap<>();

	private final Map<Long, String> workerNames = new HashMap<>();

	Round(MasterFacts master, Instant now, ClassificationProperties properties) {
		this.master = master;
		this.now = now;
		this.windowStart = now.minus(properties.window());
		this.builds = master.builds()
			.stream()
			.filter((b) -> b.complete() && b.results() != null && b.completeAt() != null)
			.filter((b) -> !b.startedAt().isBefore(this.windowStart))
			.sorted(Comparator.comparingLong(BuildFacts::id))
			.toList();
		for (BuildFacts b : this.builds) {
			if (b.workerId() != null) {
				this.byWorker.computeIfAbsent(b.workerId(), (k) -> new ArrayList<>()).add(b);
			}
			this.byBuilder.computeIfAbsent(b.builderId(), (k) -> new ArrayList<>()).add(b);
		}
		for (WorkerFacts w : master.workers()) {
			this.workerNames.put(w.sourceId(), w.name());
		}
	}

	/** A worker's builds of the window, oldest first. */
	List<BuildFacts> of(long workerId) {
		return this.byWorker.getOrDefault(workerId, List.of());
	}

	/** A builder's builds of the window (all its workers), oldest first. */
	List<BuildFacts> onBuilder(long builderId) {
		return this.byBuilder.getOrDefault(builderId, List.of());
	}

	/** The builders with builds in the window. */
	Iterable<Long> builders() {
		return this.byBuilder.keySet();
	}

	/** The branch of a build: its builder's branch tag, else the build's own {@code branch} property. */
	String branch(BuildFacts b) {
		BuilderFacts builder = this.master.builders().get(b.builderId());
		String tagged = (builder != null) ? builder.branch() : null;
		return (tagged != null) ? tagged : b.branch();
	}

	/** Revisions compare only within a branch: the key of a build's revision on its branch, or {@code null}. */
	String revisionKey(BuildFacts b) {
		if (b.revision() == null) {
			return null;
		}
		String branch = branch(b);
		return (branch != null) ? branch + '\u0000' + b.revision() : b.revision();
	}

	/** Whether the worker serves the builder: configured on it, or built it in the window. */
	boolean serves(long workerId, long builderId) {
		BuilderFacts builder = this.master.builders().get(builderId);
		if (builder != null && builder.workers().contains(workerId)) {
			return true;
		}
		return of(workerId).stream().anyMatch((b) -> b.builderId() == builderId);
	}

	String builderName(long builderId) {
		BuilderFacts builder = this.master.builders().get(builderId);
		return (builder != null) ? builder.name() : "builder " + builderId;
	}

	String workerName(Long workerId) {
		String name = (workerId != null) ? this.workerNames.get(workerId) : null;
		return (name != null) ? name : "worker " + workerId;
	}

}
