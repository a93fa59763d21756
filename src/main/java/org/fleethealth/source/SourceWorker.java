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
 * @param paused whether a maintainer paused it
 */
public record SourceWorker(long id, String name, boolean connected, Set<Long> configuredBuilderIds, String admin,
		String host, String version, boolean paused) {

	public SourceWorker {
		configuredBuilderIds = Set.copyOf(configuredBuilderIds);
	}

	/** A worker that never connected reports no information about itself. */
	public boolean hasReportedInfo() {
		return notBlank(this.admin) || notBlank(this.host) || notBlank(this.version);
	}

	private static boolean notBlank(String s) {
		return s != null && !s.isBlank();
	}

}
