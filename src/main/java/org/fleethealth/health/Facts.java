package org.fleethealth.health;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fleethealth.fleet.MasterInterruption;

/** What the classifier is given: plain data, no database, no clock. */
public final class Facts {

	private Facts() {
	}

	/**
	 * One master and everything seen on it.
	 *
	 * @param master the master's name
	 * @param lastAnswer when its worker list was last read successfully, or {@code null} if never
	 * @param lastError the last poll error, or {@code null}
	 * @param workers its configured workers
	 * @param builders its builders by id
	 * @param builds its builds in the window (all workers: peers and pool mates are compared)
	 * @param interruptions its restarts, outages and mass disconnects that overlap the window
	 * @param repairedSince the workers whose host was repaired ({@link HostRepairs}), by {@link WorkerFacts#sourceId()}:
	 * their builds count from that instant
	 */
	public record MasterFacts(String master, Instant lastAnswer, String lastError, List<WorkerFacts> workers,
			Map<Long, BuilderFacts> builders, List<BuildFacts> builds, List<MasterInterruption> interruptions,
			Map<Long, Instant> repairedSince) {

		public MasterFacts {
			interruptions = (interruptions != null) ? List.copyOf(interruptions) : List.of();
			repairedSince = (repairedSince != null) ? Map.copyOf(repairedSince) : Map.of();
		}

		/** A master none of whose hosts was repaired. */
		public MasterFacts(String master, Instant lastAnswer, String lastError, List<WorkerFacts> workers,
				Map<Long, BuilderFacts> builders, List<BuildFacts> builds, List<MasterInterruption> interruptions) {
			this(master, lastAnswer, lastError, workers, builders, builds, interruptions, Map.of());
		}

	}

	/**
	 * One worker.
	 *
	 * @param name its name
	 * @param sourceId the master's id of it, matching {@link BuildFacts#workerId()}
	 * @param connected whether it is connected now
	 * @param everConnected whether it has ever connected (it reported information or was seen connected)
	 * @param disconnectedAt when a poll saw it disconnect, or {@code null} if never seen to
	 * @param firstSeenAt when fleet-health first saw it
	 * @param lastSeenAt the last poll that saw it connected, or {@code null}
	 * @param lastBuildFinished when it last finished a build, or {@code null}
	 * @param disconnects when polls saw it disconnect within the window, oldest first
	 * @param version its buildbot-worker version, or {@code null}
	 * @param previousState its state before this classification, or {@code null}
	 * @param previousSince since when it was in that state, or {@code null}
	 * @param heldState the state a master outage interrupted (while {@code previousState} is {@code unknown}), or
	 * {@code null}
	 * @param heldSince since when it was in {@code heldState}, or {@code null}
	 * @param presence what else tells whether it is there: paused, on another master, latent, waiting work...
	 */
	public record WorkerFacts(String name, long sourceId, boolean connected, boolean everConnected,
			Instant disconnectedAt, Instant firstSeenAt, Instant lastSeenAt, Instant lastBuildFinished,
			List<Instant> disconnects, String version, WorkerState previousState, Instant previousSince,
			WorkerState heldState, Instant heldSince, Presence presence) {

		public WorkerFacts {
			disconnects = (disconnects != null) ? List.copyOf(disconnects) : List.of();
			presence = (presence != null) ? presence : Presence.NONE;
		}

		/** A worker with nothing more to its presence than its connection. */
		public WorkerFacts(String name, long sourceId, boolean connected, boolean everConnected,
				Instant disconnectedAt, Instant firstSeenAt, Instant lastSeenAt, Instant lastBuildFinished,
				List<Instant> disconnects, String version, WorkerState previousState, Instant previousSince,
				WorkerState heldState, Instant heldSince) {
			this(name, sourceId, connected, everConnected, disconnectedAt, firstSeenAt, lastSeenAt, lastBuildFinished,
					disconnects, version, previousState, previousSince, heldState, heldSince, Presence.NONE);
		}

		public WorkerFacts with(Presence presence) {
			return new WorkerFacts(this.name, this.sourceId, this.connected, this.everConnected, this.disconnectedAt,
					this.firstSeenAt, this.lastSeenAt, this.lastBuildFinished, this.disconnects, this.version,
					this.previousState, this.previousSince, this.heldState, this.heldSince, presence);
		}

	}

	/**
	 * What tells whether a worker is there besides its connection to this master.
	 *
	 * @param paused whether it is paused in Buildbot (it stays connected and takes no builds)
	 * @param pausedSince since when fleet-health has seen it paused, or {@code null}
	 * @param pauseReason why, where Buildbot says (4.x), or {@code null}
	 * @param connectedElsewhere the other watched masters it is connected to now (same name), in configuration
	 * order
	 * @param lastSeenElsewhere the last time another watched master saw it connected, or {@code null}
	 * @param lastActivity the last time a step of its running build finished while it was listed as disconnected,
	 * or {@code null}
	 * @param latent whether Buildbot starts it on demand ({@code classification.latent-workers})
	 * @param waiting build requests waiting for a worker on the builders it serves
	 * @param oldestWaiting when the oldest of them was submitted, or {@code null}
	 * @param downtime the planned downtime window it is in now, or {@code null}
	 * @param downtimeEnded while it is not connected, when its last planned downtime (in the last weeks) ended, or
	 * {@code null}: the offline clock does not run inside a window
	 * @param masterInactive why the master process it belongs to is not running (a Buildbot cluster whose API
	 * answers from another master), or {@code null}
	 * @param lastSeenElsewhereIs what {@code lastSeenElsewhere} is, for the evidence ("the last sign of it on master
	 * 'production'"), or {@code null}
	 */
	public record Presence(boolean paused, Instant pausedSince, String pauseReason, List<String> connectedElsewhere,
			Instant lastSeenElsewhere, Instant lastActivity, boolean latent, int waiting, Instant oldestWaiting,
			Downtime downtime, Instant downtimeEnded, String masterInactive, String lastSeenElsewhereIs) {

		public static final Presence NONE = new Presence(false, null, null, List.of(), null, null, false, 0, null,
				null, null, null);

		public Presence {
			connectedElsewhere = (connectedElsewhere != null) ? List.copyOf(connectedElsewhere) : List.of();
		}

		/** A presence without a sign of the worker on another master, or one not described. */
		public Presence(boolean paused, Instant pausedSince, String pauseReason, List<String> connectedElsewhere,
				Instant lastSeenElsewhere, Instant lastActivity, boolean latent, int waiting, Instant oldestWaiting,
				Downtime downtime, Instant downtimeEnded, String masterInactive) {
			this(paused, pausedSince, pauseReason, connectedElsewhere, lastSeenElsewhere, lastActivity, latent, waiting,
					oldestWaiting, downtime, downtimeEnded, masterInactive, null);
		}

	}

	/**
	 * A planned downtime a worker is in now.
	 *
	 * @param until when it ends
	 * @param reason what it is, as configured (or which window)
	 */
	public record Downtime(Instant until, String reason) {
	}

	/**
	 * A builder.
	 *
	 * @param id the master's id of it
	 * @param name its name
	 * @param classes its build classes (tags less branches and non-class tags)
	 * @param branch the branch its tags name, or {@code null}
	 * @param workers the master's ids of the workers configured on it (its pool)
	 * @param retired whether it left the master's configuration: Buildbot keeps listing old builders, and no worker
	 * is configured on this one while others are configured on the master's other builders. Its builds still tell
	 * about their workers' hosts, but its failing streak no longer makes anyone {@code failing-build}
	 */
	public record BuilderFacts(long id, String name, Set<String> classes, String branch, Set<Long> workers,
			boolean retired) {

		public BuilderFacts {
			classes = Set.copyOf(classes);
			workers = (workers != null) ? Set.copyOf(workers) : Set.of();
		}

		/** A builder in the master's configuration. */
		public BuilderFacts(long id, String name, Set<String> classes, String branch, Set<Long> workers) {
			this(id, name, classes, branch, workers, false);
		}

		/** A builder whose pool is not known (only the workers that built it are). */
		public BuilderFacts(long id, String name, Set<String> classes) {
			this(id, name, classes, null, Set.of());
		}

	}

	/**
	 * A build of the window.
	 *
	 * @param branch the build's {@code branch} property, used when its builder's tags name no branch
	 * @param stateString the master's summary (Buildbot 3.7 writes {@code retry (Master Shutdown)} or
	 * {@code cancelled (Master Shutdown)} for builds its master ended by stopping)
	 * @param stepsKnown whether its failing step is known (read, or never needed): a failure whose steps are still
	 * to be read is not judged yet, so a round between storing builds and reading their steps changes nothing
	 */
	public record BuildFacts(long id, int number, long builderId, Long workerId, Instant startedAt,
			Instant completeAt, boolean complete, Integer results, String revision, String failingStep, String branch,
			String stateString, boolean stepsKnown) {

		/** A build without branch property or state string, its steps known. */
		public BuildFacts(long id, int number, long builderId, Long workerId, Instant startedAt, Instant completeAt,
				boolean complete, Integer results, String revision, String failingStep) {
			this(id, number, builderId, workerId, startedAt, completeAt, complete, results, revision, failingStep, null,
					null, true);
		}

		/** A build with a branch property and a state string, its steps known. */
		public BuildFacts(long id, int number, long builderId, Long workerId, Instant startedAt, Instant completeAt,
				boolean complete, Integer results, String revision, String failingStep, String branch,
				String stateString) {
			this(id, number, builderId, workerId, startedAt, completeAt, complete, results, revision, failingStep,
					branch, stateString, true);
		}

	}

}
