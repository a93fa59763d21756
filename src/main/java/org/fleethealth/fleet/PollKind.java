package org.fleethealth.fleet;

/** What one poll reads from a master; the {@code kind} label of poll metrics. */
public enum PollKind {

	WORKERS, BUILDERS, BUILDS, STEPS;

	public String label() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
