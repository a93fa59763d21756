package org.fleethealth.fleet;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.fleethealth.fleet.internal.Build;
import org.fleethealth.fleet.internal.BuildWindows;
import org.fleethealth.fleet.internal.Builder;
import org.fleethealth.fleet.internal.Builders;
import org.fleethealth.fleet.internal.Builds;
import org.fleethealth.fleet.internal.LiveStreams;
import org.fleethealth.fleet.internal.MasterEvent;
import org.fleethealth.fleet.internal.MasterEvents;
import org.fleethealth.fleet.internal.MasterState;
import org.fleethealth.fleet.internal.MasterStates;
import org.fleethealth.fleet.internal.PollState;
import org.fleethealth.fleet.internal.PollStates;
import org.fleethealth.fleet.internal.SourceMasterStates;
import org.fleethealth.fleet.internal.Transitions;
import org.fleethealth.fleet.internal.Worker;
import org.fleethealth.fleet.internal.WorkerTransition;
import org.fleethealth.fleet.internal.Workers;
import org.fleethealth.source.FleetSource;
import org.fleethealth.source.FleetSources;
import org.fleethealth.source.SourceMaster;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Read access to the observed fleet for other modules. */
@Service
@Transactional(readOnly = true)
public class FleetQueries {

	private final MasterStates masters;

	private final Workers workers;

	private final Transitions transitions;

	private final Builders builders;

	private final Builds builds;

	private final BuildWindows windows;

	private final PollStates polls;

	private final Map<String, FleetSource> sources = new LinkedHashMap<>();

	private final MasterEvents events;

	private final SourceMasterStates sourceMasters;

	private final JdbcTemplate jdbc;

	private final LiveStreams streams;

	FleetQueries(MasterStates masters, Workers workers, Transitions transitions, Builders builders, Builds builds,
			List<FleetSources> sources, BuildWindows windows, MasterEvents events,
			SourceMasterStates sourceMasters, JdbcTemplate jdbc, PollStates polls, LiveStreams streams) {
		this.streams = streams;
		this.polls = polls;
		this.events = events;
		this.sourceMasters = sourceMasters;
		this.jdbc = jdbc;
		this.windows = windows;
		this.masters = masters;
		this.workers = workers;
		this.transitions = transitions;
		this.builders = builders;
		this.builds = builds;
		sources.forEach((s) -> s.sources().forEach((source) -> this.sources.put(source.masterName(), source)));
	}

	/** The watched masters, in configuration order. */
	public List<String> masterNames() {
		return List.copyOf(this.sources.keySet());
	}

	/** How polling the named master is going; empty before its first poll. */
	public Optional<MasterStatus> master(String name) {
		return this.masters.findByName(name).map(MasterState::view);
	}

	/** How polling each master ever polled is going, by name (also masters no longer watched). */
	public List<MasterStatus> masters() {
		return this.masters.findAllByOrderByName().stream().map(MasterState::view).toList();
	}

	/** Where the master's live event stream stands; empty where it has none or streams are off. */
	public Optional<StreamStatus> stream(String master) {
		return this.streams.status(master)
			.map((s) -> new StreamStatus(s.state().name().toLowerCase(Locale.ROOT), s.since(), s.reason(),
					this.streams.reconciled(master).orElse(null)));
	}

	/** How each kind of poll of a master is doing, in {@link PollKind} order; kinds never tried are left out. */
	public List<PollKindState> polls(String master) {
		return this.polls.findByMaster(master)
			.stream()
			.sorted(Comparator.comparing(PollState::getKind))
			.map(PollState::view)
			.toList();
	}

	/** Workers currently configured on a master. */
	public List<FleetWorker> workers(String master) {
		return this.workers.findByMasterAndConfiguredTrueOrderByName(master).stream().map(Worker::view).toList();
	}

	/** Each configured worker of a master with the builders it serves, without loading the workers. */
	public List<WorkerBuilders> workerBuilders(String master) {
		return this.workers.builderLists(master);
	}

	/** A worker of a master by name, also one its master no longer has configured. */
	public Optional<FleetWorker> worker(String master, String name) {
		return this.workers.findByMasterAndName(master, name).map(Worker::view);
	}

	/** Every builder a master lists, also old ones no worker serves any more ({@link FleetBuilder#current()}). */
	public List<FleetBuilder> builders(String master) {
		return this.builders.readByMaster(master).stream().map(Builder::view).toList();
	}

	/**
	 * The facts of the builds started since the given instant, in no particular order. Values, not entities, and
	 * from memory while no other instance has written builds of the master ({@link BuildWindows}): classification
	 * reads a whole window of builds every round.
	 */
	public List<BuildSummary> buildSummariesSince(String master, Instant since) {
		return this.windows.since(master, since);
	}

	/** Builds started since the given instant, in no particular order. */
	public List<FleetBuild> buildsStartedSince(String master, Instant since) {
		return this.builds.findByMasterAndStartedAtGreaterThanEqual(master, since).stream().map(Build::view).toList();
	}

	/** A worker's newest builds, newest first, at most {@code limit}. */
	public List<FleetBuild> recentBuilds(FleetWorker worker, int limit) {
		return this.builds
			.findByMasterAndWorkerBuildbotIdOrderByBuildbotIdDesc(worker.master(), worker.buildbotId(), Limit.of(limit))
			.stream()
			.map(Build::view)
			.toList();
	}

	/**
	 * Connection changes of a master's workers since the given instant. By master, not by a list of worker ids:
	 * H2 evaluates a long IN list row by row, and a large fleet has more workers than a statement takes
	 * parameters.
	 */
	public List<WorkerChange> transitionsSince(String master, Instant since) {
		return this.transitions.findByMasterSince(master, since).stream().map(WorkerTransition::view).toList();
	}

	/**
	 * Restarts, outages and mass disconnects of a master that overlap the time since the given instant, oldest
	 * first ({@link MasterInterruption}).
	 */
	public List<MasterInterruption> interruptionsSince(String master, Instant since) {
		return this.events.overlapping(master, since).stream().map(MasterEvent::view).toList();
	}

	/** The build requests waiting for a worker on each builder of a master, as of its last workers poll. */
	public Map<Long, WaitingRequests> waitingRequests(String master) {
		Map<Long, WaitingRequests> waiting = new HashMap<>();
		this.jdbc.query("select builder_buildbot_id, waiting, oldest_submitted_at from waiting_builder where master = ?",
				(rs) -> {
					long builder = rs.getLong(1);
					waiting.put(builder, new WaitingRequests(builder, rs.getInt(2),
							rs.getObject(3, java.time.OffsetDateTime.class).toInstant()));
				}, master);
		return waiting;
	}

	/** The Buildbot master processes behind a watched API, as last seen, with their heartbeats. */
	public List<SourceMaster> masterProcesses(String master) {
		return this.sourceMasters.findByMaster(master)
			.stream()
			.map((m) -> new SourceMaster(m.getBuildbotId(), m.getName(), m.isActive(), m.getLastActive()))
			.toList();
	}

	/** A worker's newest changes, newest first, at most {@code limit}. */
	public List<WorkerChange> recentTransitions(Long workerId, int limit) {
		return this.transitions.findByWorkerIdOrderByAtDesc(workerId, Limit.of(limit))
			.stream()
			.map(WorkerTransition::view)
			.toList();
	}

	/** A link to a build on its master's web UI. */
	public String buildUrl(FleetBuild build) {
		return buildUrl(build.master(), build.builderBuildbotId(), build.number());
	}

	/** A link to a build on its master's web UI, from its builder's id and its number. */
	public String buildUrl(String master, long builderId, int number) {
		return buildUrls(master).of(builderId, number);
	}

	/**
	 * The links to a master's builds, to make many of them: each call of a method of this bean goes through its
	 * transaction proxy, a third of the release gate's time when it asked once per build.
	 */
	public BuildUrls buildUrls(String master) {
		FleetSource source = this.sources.get(master);
		return (source != null) ? source::buildUrl : (builderId, number) -> null;
	}

	/** Links to the builds of one master on its web UI. */
	@FunctionalInterface
	public interface BuildUrls {

		/** The link to build {@code number} of the builder with this id, or {@code null} for a master not watched. */
		String of(long builderId, int number);

	}

	/** The names of the builders a worker is configured on, sorted. */
	public List<String> builderNames(String master, String worker) {
		return this.workers.findByMasterAndName(master, worker).map((w) -> {
			var ids = w.getBuilderIds();
			return this.builders.readByMaster(master)
				.stream()
				.filter((b) -> ids.contains(b.getBuildbotId()))
				.map(Builder::getName)
				.sorted()
				.toList();
		}).orElse(List.of());
	}

	/**
	 * The newest finished build of each builder that says something about the code (success, warnings, failure,
	 * exception), by the master's builder id. Kept on the builder rows as builds are stored, so this does not read
	 * the history.
	 */
	public Map<Long, FleetBuild> lastDecisiveBuildOfEachBuilder(String master) {
		Map<Long, FleetBuild> last = new HashMap<>();
		this.builds.lastDecisiveOfEachBuilder(master).forEach((b) -> last.put(b.getBuilderBuildbotId(), b.view()));
		return last;
	}

	/** When each builder (by its master's builder id) last finished a build, whatever its result. */
	public Map<Long, Instant> lastBuildFinishedByBuilder(String master) {
		Map<Long, Instant> last = new HashMap<>();
		this.builders.readByMaster(master).forEach((b) -> {
			if (b.getLastBuildFinishedAt() != null) {
				last.put(b.getBuildbotId(), b.getLastBuildFinishedAt());
			}
		});
		return last;
	}

	/** When the oldest stored build of each builder (by its master's builder id) started. */
	public Map<Long, Instant> firstBuildStartedByBuilder(String master) {
		return instantsById(this.builds.firstStartedByBuilder(master));
	}

	private static Map<Long, Instant> instantsById(List<Object[]> rows) {
		Map<Long, Instant> byId = new HashMap<>();
		for (Object[] row : rows) {
			if (row[0] != null && row[1] != null) {
				byId.put((Long) row[0], (Instant) row[1]);
			}
		}
		return byId;
	}

}
