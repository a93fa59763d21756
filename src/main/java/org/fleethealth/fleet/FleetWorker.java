package org.fleethealth.fleet;

import java.time.Instant;
import java.util.Set;

import org.fleethealth.system.Durations;

/**
 * A configured worker as fleet-health has observed it over time: what other modules read of it. Buildbot keeps no
 * "last seen" or connect times: those are fleet-health's own.
 *
 * @param id fleet-health's id of it (stable across its master renumbering it)
 * @param master the watched master's name
 * @param name its name
 * @param buildbotId the master's id of it, as in builds' {@code workerid}
 * @param configured whether its master still has it in its configuration
 * @param connected whether it is connected now
 * @param everConnected whether it has ever connected (reported information or was seen connected)
 * @param paused whether it is paused in Buildbot
 * @param pausedSince since when fleet-health has seen it paused, {@code null} while not paused
 * @param pauseReason why, where Buildbot says (4.x), or {@code null}
 * @param firstSeenAt when fleet-health first saw it
 * @param lastSeenAt as stored: for a disconnected worker the last poll that saw it connected, for a connected one
 * when it connected; read {@link #lastSeen(Instant)}
 * @param connectedSince when it last connected, or {@code null}
 * @param disconnectedAt when a poll last saw it disconnect, or {@code null}
 * @param admin its {@code info/admin} as reported (free text, cut to its column), or {@code null}
 * @param host its {@code info/host}, or {@code null}
 * @param version its buildbot-worker version, or {@code null}
 * @param builderIds the master's ids of the builders it is configured on
 * @param lastBuildFinishedAt when it last finished a build, as far as stored builds tell, or {@code null}
 * @param connectedTo the ids of the master processes it is connected to (a Buildbot cluster)
 * @param configuredOn the ids of the master processes that have it in their configuration
 * @param lastActivityAt the last time a step of its running build finished while it was listed as disconnected,
 * or {@code null}
 * @param unpausedAt when fleet-health last saw it unpaused, or {@code null} if it never did
 */
public record FleetWorker(Long id, String master, String name, long buildbotId, boolean configured, boolean connected,
		boolean everConnected, boolean paused, Instant pausedSince, String pauseReason, Instant firstSeenAt,
		Instant lastSeenAt, Instant connectedSince, Instant disconnectedAt, String admin, String host, String version,
		Set<Long> builderIds, Instant lastBuildFinishedAt, Set<Long> connectedTo, Set<Long> configuredOn,
		Instant lastActivityAt, Instant unpausedAt) {

	public FleetWorker {
		builderIds = Set.copyOf(builderIds);
		connectedTo = Set.copyOf(connectedTo);
		configuredOn = Set.copyOf(configuredOn);
	}

	/**
	 * The last poll that saw the worker connected. A connected worker was seen by its master's last successful workers
	 * poll: that is not written to every worker row on every heartbeat, only when a worker disconnects.
	 *
	 * @param workersPolledAt the master's last successful workers poll, or {@code null}
	 */
	public Instant lastSeen(Instant workersPolledAt) {
		return this.connected ? Durations.latest(this.lastSeenAt, workersPolledAt) : this.lastSeenAt;
	}

}
