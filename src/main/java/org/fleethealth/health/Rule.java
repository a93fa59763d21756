package org.fleethealth.health;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The rules of the classification, by the name the API ({@code rules}), the README and the mails use. The first
 * rule of a verdict is the one that decided its state; later ones add context.
 */
public enum Rule {

	/** {@code unknown}: the master has not answered for {@code stale-after}. */
	MASTER_SILENT("master-silent"),
	/** {@code unknown}: the Buildbot master process it belongs to is inactive (a cluster answering from another). */
	MASTER_INACTIVE("master-inactive"),
	/** {@code paused}: paused in Buildbot (by a maintainer, or quarantined). */
	PAUSED("paused"),
	/** {@code paused}: in a planned downtime window while disconnected, paused or idle. */
	PLANNED_DOWNTIME("planned-downtime"),
	/** {@code offline}: a latent worker for whose builders build requests waited {@code offline-after}, none started. */
	LATENT_NOT_STARTED("latent-not-started"),
	/** {@code offline}: configured but has never connected. */
	NEVER_CONNECTED("never-connected"),
	/** {@code offline}: not connected for {@code offline-after}. */
	NOT_CONNECTED("not-connected"),
	/** {@code flaky-host}: host failures reach {@code flaky-ratio} of its builds. */
	HOST_FAILURE_RATIO("host-failure-ratio"),
	/** {@code flaky-host}: it disconnected {@code flapping-disconnects} times, not counting its master's doing. */
	CONNECTION_FLAPPING("connection-flapping"),
	/** {@code flaky-host}: it fails a shared builder far more often than the builder's other workers. */
	POOL_CONCENTRATION("pool-concentration"),
	/** {@code flaky-host}: it fails one step on most of its shared builders, on revisions their other workers pass. */
	SAME_STEP_ACROSS_BUILDERS("same-step-across-builders"),
	/**
	 * {@code flaky-host}: connected and unpaused, it started none of the build requests that waited for its builders
	 * for {@code offline-after} while it was idle (a stale connection).
	 */
	UNRESPONSIVE("unresponsive"),
	/** {@code failing-build}: a builder it serves failed its last {@code failing-streak} builds in one step. */
	FAILING_STREAK("failing-streak"),
	/** Context: it runs an older buildbot-worker than most of the fleet. */
	VERSION_DRIFT("version-drift"),
	/** Context: a build of it has run longer than {@code stuck-after} (each counts once as a host failure). */
	STUCK_BUILD("stuck-build"),
	/** Context: not connected here, but connected to another watched master under the same name. */
	CONNECTED_ELSEWHERE("connected-elsewhere");

	private final String label;

	Rule(String label) {
		this.label = label;
	}

	@JsonValue
	public String label() {
		return this.label;
	}

	/** The rule of a label, or {@code null} for a label this version does not know. */
	public static Rule fromLabel(String label) {
		for (Rule rule : values()) {
			if (rule.label.equals(label)) {
				return rule;
			}
		}
		return null;
	}

	@Override
	public String toString() {
		return this.label;
	}

}
