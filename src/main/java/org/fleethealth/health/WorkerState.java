package org.fleethealth.health;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;

/** The one state a worker is in, ordered by how much a maintainer should care (most first). */
public enum WorkerState {

	/** Not connected for longer than {@code offline-after}, or configured but never connected. */
	OFFLINE("offline"),
	/** The host is broken, not the builds on it. */
	FLAKY_HOST("flaky-host"),
	/** The host is fine but a build on it keeps failing in the same step. */
	FAILING_BUILD("failing-build"),
	/** Its master has not answered lately, so nothing can be said. */
	UNKNOWN("unknown"),
	/**
	 * Out of service on purpose: paused in Buildbot (by a maintainer, or quarantined by fleet-health), or in a
	 * planned downtime window. Never offline, flaky-host or failing-build because of it, never mailed.
	 */
	PAUSED("paused"),
	/** None of the above. */
	HEALTHY("healthy");

	private final String label;

	WorkerState(String label) {
		this.label = label;
	}

	/** The name used in the API, metrics and mails. */
	@JsonValue
	public String label() {
		return this.label;
	}

	/** Label and constant name of every state: read for every stored judgement, so not a stream per call. */
	private static final Map<String, WorkerState> BY_NAME = new HashMap<>();

	static {
		for (WorkerState state : values()) {
			BY_NAME.put(state.label, state);
			BY_NAME.put(state.name(), state);
		}
	}

	/**
	 * The state with this label ({@code flaky-host}) or constant name ({@code FLAKY_HOST}).
	 *
	 * @throws IllegalArgumentException for any other text
	 */
	public static WorkerState fromLabel(String label) {
		WorkerState state = (label != null) ? BY_NAME.get(label) : null;
		if (state == null) {
			throw new IllegalArgumentException(
					"Unknown state '" + label + "'; expected one of healthy, offline, flaky-host, failing-build, unknown, paused");
		}
		return state;
	}

	@Override
	public String toString() {
		return this.label;
	}

}
