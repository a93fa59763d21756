package org.fleethealth.gate;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a stable builder blocks a release or is a concern: what a release manager has to get fixed. */
public enum Cause {

	/** The code: it failed on healthy workers, the same revision failed on its peers too, or a failing streak. */
	CODE("code"),
	/** A broken host: the classifier counts the builder's last failure against the worker that ran it. */
	HOST("host"),
	/** No worker is connected to run it (or whether one is cannot be told: its master is silent). */
	NO_WORKER("no-worker"),
	/** Every worker that serves it is paused (in Buildbot, or in a planned downtime): out of service on purpose. */
	PAUSED("paused"),
	/** It has finished no build for {@code stale-after}, or none that passed or failed. */
	STALE("stale"),
	/** Configured as stable, but its master has no builder of that name: the stable list is wrong. */
	UNKNOWN_BUILDER("unknown-builder");

	private final String label;

	Cause(String label) {
		this.label = label;
	}

	@JsonValue
	public String label() {
		return this.label;
	}

	@Override
	public String toString() {
		return this.label;
	}

}
