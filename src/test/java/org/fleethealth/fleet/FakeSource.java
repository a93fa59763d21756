package org.fleethealth.fleet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.fleethealth.source.FleetSource;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuildRequest;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceException;
import org.fleethealth.source.SourceMaster;
import org.fleethealth.source.SourceStep;
import org.fleethealth.source.SourceStream;
import org.fleethealth.source.SourceWorker;

/** An in-memory master whose answers (and failures) a test sets. */
public class FakeSource implements FleetSource {

	private final String name;

	public volatile List<SourceWorker> workers = List.of();

	public volatile List<SourceBuilder> builders = List.of();

	/** The master processes behind the API and their heartbeats (restart detection). */
	public volatile List<SourceMaster> masters = List.of();

	public final List<SourceBuild> builds = new CopyOnWriteArrayList<>();

	public volatile List<SourceStep> steps = List.of();

	/** When set, every call fails with it, like an unreachable master. */
	public volatile SourceException failure;

	public final List<String> calls = new CopyOnWriteArrayList<>();

	/** When 0 or more, that many steps requests succeed and the next ones fail (a master failing half-way). */
	public volatile int stepsBeforeFailure = -1;

	/** When 0 or more, that many pages of new builds are answered and the next requests fail. */
	public volatile int pagesBeforeFailure = -1;

	public FakeSource(String name) {
		this.name = name;
	}

	/** When set, runs before each answer (with what was asked), for a test to hold the master mid-poll. */
	public volatile Consumer<String> beforeAnswer;

	private void call(String what) {
		this.calls.add(what);
		Consumer<String> hook = this.beforeAnswer;
		if (hook != null) {
			hook.accept(what);
		}
		if (this.failure != null) {
			throw this.failure;
		}
	}

	/** The master's live event stream, where a test gives it one. */
	public volatile FakeStream stream;

	@Override
	public Optional<SourceStream> stream() {
		return Optional.ofNullable(this.stream);
	}

	@Override
	public String masterName() {
		return this.name;
	}

	@Override
	public String url() {
		return "http://" + this.name + ".invalid/";
	}

	@Override
	public List<SourceWorker> workers() {
		call("workers");
		return this.workers;
	}

	/** The build requests waiting for a worker (unclaimed, incomplete). */
	public volatile List<SourceBuildRequest> waiting = List.of();

	@Override
	public List<SourceBuildRequest> waitingBuildRequests(int limit) {
		call("waiting");
		return this.waiting.stream().limit(limit).toList();
	}

	/** When set, only the masters list fails with it (a master that does not list its processes). */
	public volatile SourceException mastersFailure;

	@Override
	public List<SourceMaster> masters() {
		call("masters");
		if (this.mastersFailure != null) {
			throw this.mastersFailure;
		}
		return this.masters;
	}

	@Override
	public List<SourceBuilder> builders() {
		call("builders");
		return this.builders;
	}

	@Override
	public List<SourceBuild> buildsAfter(long afterId, int limit) {
		call("buildsAfter " + afterId);
		if (this.pagesBeforeFailure == 0) {
			throw new SourceException("master '" + this.name + "' (GET builds after " + afterId + ") failed: 503");
		}
		if (this.pagesBeforeFailure > 0) {
			this.pagesBeforeFailure--;
		}
		return this.builds.stream()
			.filter((b) -> b.id() > afterId)
			.sorted(Comparator.comparingLong(SourceBuild::id))
			.limit(limit)
			.toList();
	}

	@Override
	public List<SourceBuild> buildsBefore(long beforeId, int limit) {
		call("buildsBefore " + beforeId);
		return this.builds.stream()
			.filter((b) -> b.id() < beforeId)
			.sorted(Comparator.comparingLong(SourceBuild::id).reversed())
			.limit(limit)
			.toList();
	}

	@Override
	public List<SourceBuild> builds(Collection<Long> ids) {
		call("builds " + ids);
		List<SourceBuild> found = new ArrayList<>();
		this.builds.stream().filter((b) -> ids.contains(b.id())).forEach(found::add);
		return found;
	}

	@Override
	public List<SourceStep> steps(long buildId) {
		call("steps " + buildId);
		if (this.stepsBeforeFailure == 0) {
			throw new SourceException("master '" + this.name + "' (GET steps of build " + buildId + ") failed: 503");
		}
		if (this.stepsBeforeFailure > 0) {
			this.stepsBeforeFailure--;
		}
		return this.steps;
	}

	/** When set, pause and unpause fail with it (a master that refuses fleet-health: 403). */
	public volatile SourceException controlFailure;

	/** When set, pause and unpause are accepted and change nothing (a master that does not carry them out). */
	public volatile boolean ignoreControls;

	/** Every pause and unpause asked for: "pause ID reason" or "unpause ID". */
	public final List<String> controls = new CopyOnWriteArrayList<>();

	/** Pauses the worker with that id in {@link #workers}, as a master does, unless {@link #controlFailure}. */
	@Override
	public void pause(long workerId, String reason) {
		control(workerId, true, "pause " + workerId + " " + reason);
	}

	@Override
	public void unpause(long workerId, String reason) {
		control(workerId, false, "unpause " + workerId);
	}

	private void control(long workerId, boolean paused, String what) {
		this.controls.add(what);
		if (this.controlFailure != null) {
			throw this.controlFailure;
		}
		if (this.ignoreControls) {
			return;
		}
		this.workers = this.workers.stream()
			.map((w) -> (w.id() != workerId) ? w
					: new SourceWorker(w.id(), w.name(), w.connected(), w.configuredBuilderIds(), w.admin(), w.host(),
							w.version(), paused, null, w.connectedTo(), w.configuredOn()))
			.toList();
	}

	@Override
	public String buildUrl(long builderId, int number) {
		return url() + "#/builders/" + builderId + "/builds/" + number;
	}

}
