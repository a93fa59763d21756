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
	 */
	public record MasterFacts(String master, Instant lastAnswer, String lastError, List<WorkerFacts> workers,
			Map<Long, BuilderFacts> builders, List<BuildFacts> builds, List<MasterInterruption> interruptions) {

		public MasterFacts {
			interruptions = (interruptions != null) ? List.copyOf(interruptions) : List.of();
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
	 */
	public record WorkerFacts(String name, long sourceId, boolean connected, boolean everConnected,
			Instant disconnectedAt, Instant firstSeenAt, Instant lastSeenAt, Instant lastBuildFinished,
			List<Instant> disconnects, String version, WorkerState previousState, Instant previousSince,
			WorkerState heldState, Instant heldSince) {

		public WorkerFacts {
			disconnects = (disconnects != null) ? List.copyOf(disconnects) : List.of();
		}

	}

	/**
	 * A builder.
	 *
	 * @param id the master's id of it
	 * @param name its name
	 * @param classes its build classes (tags less branches and non-class tags)
	 * @param branch the branch its tags name, or {@code null}
	 * @param workers the master's ids of the workers configured on it (its pool)
	 */
	public record BuilderFacts(long id, String name, Set<String> classes, String branch, Set<Long> workers) {

		public BuilderFacts {
			classes = Set.copyOf(classes);
			workers = (workers != null) ? Set.copyOf(workers) : Set.of();
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
