package org.fleethealth.health;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
	 * @param builds its builds in the window (all workers: peers are compared)
	 */
	public record MasterFacts(String master, Instant lastAnswer, String lastError, List<WorkerFacts> workers,
			Map<Long, BuilderFacts> builders, List<BuildFacts> builds) {
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
	 * @param disconnectsInWindow how often it disconnected within the window
	 * @param version its buildbot-worker version, or {@code null}
	 * @param previousState its state before this classification, or {@code null}
	 * @param previousSince since when it was in that state, or {@code null}
	 */
	public record WorkerFacts(String name, long sourceId, boolean connected, boolean everConnected,
			Instant disconnectedAt, Instant firstSeenAt, Instant lastSeenAt, Instant lastBuildFinished,
			int disconnectsInWindow, String version, WorkerState previousState, Instant previousSince) {
	}

	/** A builder: its name and build classes. */
	public record BuilderFacts(long id, String name, Set<String> classes) {
	}

	/** A build of the window. */
	public record BuildFacts(long id, int number, long builderId, Long workerId, Instant startedAt,
			Instant completeAt, boolean complete, Integer results, String revision, String failingStep) {
	}

}
