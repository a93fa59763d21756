package org.fleethealth.source;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One CI master seen through its API. Implementations are thread-safe, bound every request (page size,
 * timeouts) and report every problem as a {@link SourceException}, never as a partial answer.
 */
public interface FleetSource {

	/** The configured name of the master this source reads. */
	String masterName();

	/** The master's base URL, where people open its web UI. */
	String url();

	/** Every worker the master knows, with its connection state and where it is configured. */
	List<SourceWorker> workers();

	/**
	 * The master processes behind the API, with their heartbeats: how restarts between two polls are seen. A
	 * source that cannot tell answers an empty list.
	 */
	List<SourceMaster> masters();

	/** Every builder the master knows (current or not), with its tags. */
	List<SourceBuilder> builders();

	/** At most {@code limit} builds with an id greater than {@code afterId}, in ascending id order. */
	List<SourceBuild> buildsAfter(long afterId, int limit);

	/** At most {@code limit} builds with an id less than {@code beforeId}, in descending id order. */
	List<SourceBuild> buildsBefore(long beforeId, int limit);

	/** The current data of the given builds (used to learn how builds that were running ended). */
	List<SourceBuild> builds(Collection<Long> ids);

	/**
	 * The oldest build requests still waiting for a worker (unclaimed, incomplete), at most {@code limit}, oldest
	 * first: how latent workers that should have started, and connected workers that take nothing, are told.
	 */
	List<SourceBuildRequest> waitingBuildRequests(int limit);

	/** The steps of one build, in order. */
	List<SourceStep> steps(long buildId);

	/** A link a person can open to look at one build, or {@code null} if the source has none. */
	String buildUrl(long builderId, int number);

	/**
	 * A live event stream from the master, where the source has one and it is enabled: connects and disconnects as
	 * they happen, between polls. Empty means polling is all there is. Every call answers the same stream; the
	 * caller starts it once and closes it when done.
	 */
	default Optional<SourceStream> stream() {
		return Optional.empty();
	}

	/**
	 * Pauses a worker: it stays connected and takes no new builds (Buildbot: JSON-RPC {@code pause} on
	 * {@code POST /api/v2/workers/{id}}). Returns once the master accepted the command; whether it took effect is
	 * seen on the next workers poll ({@link SourceWorker#paused()}).
	 *
	 * @param workerId the master's id of the worker ({@link SourceWorker#id()})
	 * @param reason why, for the people who look at the master (Buildbot 4.x shows it as {@code pause_reason})
	 * @throws SourceAccessDeniedException when the master refuses for want of rights (HTTP 401/403)
	 * @throws SourceException when the master cannot be reached or answers otherwise, or the source cannot pause
	 */
	default void pause(long workerId, String reason) {
		throw new SourceException("master '" + masterName() + "' cannot pause workers through fleet-health");
	}

	/**
	 * Unpauses a worker (Buildbot: JSON-RPC {@code unpause}); as {@link #pause(long, String)}.
	 *
	 * @throws SourceAccessDeniedException when the master refuses for want of rights (HTTP 401/403)
	 * @throws SourceException when the master cannot be reached or answers otherwise, or the source cannot unpause
	 */
	default void unpause(long workerId, String reason) {
		throw new SourceException("master '" + masterName() + "' cannot unpause workers through fleet-health");
	}

}
