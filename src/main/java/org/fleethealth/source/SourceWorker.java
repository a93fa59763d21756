package org.fleethealth.source;

import java.util.Set;

/**
 * A worker as its master reports it right now.
 *
 * @param id the master's id of the worker
 * @param name the worker's name
 * @param connected whether it is connected to some master now
 * @param configuredBuilderIds the builders it is configured on; empty when it is no longer configured
 * @param admin the owner contact the worker reports ("Name &lt;email&gt;"), or {@code null}
 * @param host the host description the worker reports, or {@code null}
 * @param version the buildbot-worker version, or {@code null}
 * @param paused whether a maintainer (or fleet-health's quarantine) paused it: connected, it takes no builds
 * @param pauseReason why, where the master says (Buildbot 4.x {@code pause_reason}), or {@code null}
 * @param connectedTo the ids of the master processes it is connected to ({@code connected_to})
 * @param configuredOn the ids of the master processes that have it in their configuration ({@code configured_on})
 */
public record SourceWorker(long id, String name, boolean connected, Set<Long> configuredBuilderIds, String admin,
		String host, String version, boolean paused, String pauseReason, Set<Long> connectedTo,
		Set<Long> configuredOn) {

	public SourceWorker {
		configuredBuilderIds = Set.copyOf(configuredBuilderIds);
		connectedTo = (connectedTo != null) ? Set.copyOf(connectedTo) : Set.of();
		configuredOn = (configuredOn != null) ? Set.copyOf(configuredOn) : Set.of();
	}

	/** A worker whose master processes are not told apart (one master, or a source that cannot say). */
	public SourceWorker(long id, String name, boolean connected, Set<Long> configuredBuilderIds, String admin,
			String host, String version, boolean paused) {
		this(id, name, connected, configuredBuilderIds, admin, host, version, paused, null, Set.of(), Set.of());
	}

	/** A worker that never connected reports no information about itself. */
	public boolean hasReportedInfo() {
		return notBlank(this.admin) || notBlank(this.host) || notBlank(this.version);
	}

	private static boolean notBlank(String s) {
		return s != null && !s.isBlank();
	}

}
