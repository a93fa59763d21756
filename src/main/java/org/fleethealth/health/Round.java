package org.fleethealth.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

	private final Map<Long, List<BuildFacts>> runningByWorker = new HashMap<>();

	private final Map<Long, String> workerNames = new HashMap<>();

	private final Map<Long, Set<Long>> served = new HashMap<>();

	private final Endings endings;

	private Peers peers;

	Round(MasterFacts master, Instant now, ClassificationProperties properties) {
		this.master = master;
		this.now = now;
		this.windowStart = now.minus(properties.window());
		this.builds = master.builds()
			.stream()
			.filter((b) -> b.complete() && b.results() != null && b.completeAt() != null)
			.filter((b) -> !b.startedAt().isBefore(this.windowStart))
			.filter((b) -> !beforeRepair(master, b))
			.sorted(Comparator.comparingLong(BuildFacts::id))
			.toList();
		for (BuildFacts b : this.builds) {
			if (b.workerId() != null) {
				this.byWorker.computeIfAbsent(b.workerId(), (k) -> new ArrayList<>()).add(b);
			}
			this.byBuilder.computeIfAbsent(b.builderId(), (k) -> new ArrayList<>()).add(b);
		}
		for (BuildFacts b : master.builds()) {
			if (!b.complete() && b.workerId() != null) {
				this.runningByWorker.computeIfAbsent(b.workerId(), (k) -> new ArrayList<>()).add(b);
			}
		}
		for (WorkerFacts w : master.workers()) {
			this.workerNames.put(w.sourceId(), w.name());
		}
		master.builders().values().forEach((builder) -> builder.workers()
			.forEach((w) -> this.served.computeIfAbsent(w, (k) -> new HashSet<>()).add(builder.id())));
		this.byWorker.forEach((w, builds) -> builds
			.forEach((b) -> this.served.computeIfAbsent(w, (k) -> new HashSet<>()).add(b.builderId())));
		this.endings = new Endings(this.builds);
	}

	/** A build of a worker whose host was repaired since: not held against it, nor compared with others' builds. */
	private static boolean beforeRepair(MasterFacts master, BuildFacts b) {
		Instant since = (b.workerId() != null) ? master.repairedSince().get(b.workerId()) : null;
		return since != null && b.startedAt().isBefore(since);
	}

	/** The builds that ended within {@code span} of an instant, from a time index (not a scan of the window). */
	List<BuildFacts> endingNear(Instant at, Duration span) {
		return this.endings.near(at, span);
	}

	/** The class peers of the window's builds, computed once per round. */
	Peers peers() {
		if (this.peers == null) {
			this.peers = new Peers(this.builds, this.master.builders(), this::revisionKey);
		}
		return this.peers;
	}

	/** A worker's builds of the window, oldest first. */
	List<BuildFacts> of(long workerId) {
		return this.byWorker.getOrDefault(workerId, List.of());
	}

	/**
	 * A worker's builds that have not finished, of any age (an index: a scan of the master's builds for each worker
	 * was most of a round at 10,000 workers).
	 */
	List<BuildFacts> running(long workerId) {
		return this.runningByWorker.getOrDefault(workerId, List.of());
	}

	/** A builder's builds of the window (all its workers), oldest first. */
	List<BuildFacts> onBuilder(long builderId) {
		return this.byBuilder.getOrDefault(builderId, List.of());
	}

	/** The workers with builds in the window. */
	Iterable<Long> workersWithBuilds() {
		return this.byWorker.keySet();
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

	/** The builders the worker serves: configured on them, or built them in the window. */
	Set<Long> served(long workerId) {
		return this.served.getOrDefault(workerId, Set.of());
	}

	String builderName(long builderId) {
		BuilderFacts builder = this.master.builders().get(builderId);
		return (builder != null) ? builder.name() : "builder " + builderId;
	}

	/** The window's builds by the instant they ended, for "what else ended then" questions. */
	private static final class Endings {

		private final long[] at;

		private final BuildFacts[] builds;

		Endings(List<BuildFacts> window) {
			BuildFacts[] sorted = window.toArray(BuildFacts[]::new);
			Arrays.sort(sorted, Comparator.comparing(BuildFacts::completeAt));
			this.builds = sorted;
			this.at = new long[sorted.length];
			for (int i = 0; i < sorted.length; i++) {
				this.at[i] = sorted[i].completeAt().toEpochMilli();
			}
		}

		List<BuildFacts> near(Instant instant, Duration span) {
			long from = instant.minus(span).toEpochMilli();
			long to = instant.plus(span).toEpochMilli();
			int i = lowerBound(from);
			List<BuildFacts> found = new ArrayList<>();
			for (; i < this.at.length && this.at[i] <= to; i++) {
				found.add(this.builds[i]);
			}
			return found;
		}

		private int lowerBound(long value) {
			int lo = 0;
			int hi = this.at.length;
			while (lo < hi) {
				int mid = (lo + hi) >>> 1;
				if (this.at[mid] < value) {
					lo = mid + 1;
				}
				else {
					hi = mid;
				}
			}
			return lo;
		}

	}

	String workerName(Long workerId) {
		String name = (workerId != null) ? this.workerNames.get(workerId) : null;
		return (name != null) ? name : "worker " + workerId;
	}

}
