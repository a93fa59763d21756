package org.fleethealth.health;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fleethealth.health.Facts.WorkerFacts;

/**
 * The buildbot-worker version most of a master's fleet runs, and the versions older than it. Versions that say
 * nothing about age ({@link WorkerVersion}) are neither counted nor flagged. Compared once per distinct version,
 * not per worker: a fleet runs a handful of versions.
 */
record Versions(WorkerVersion common, Map<String, Boolean> older) {

	static Versions of(List<WorkerFacts> workers) {
		Map<String, WorkerVersion> parsed = new HashMap<>();
		Map<String, Long> counts = new HashMap<>();
		for (WorkerFacts w : workers) {
			if (w.version() != null) {
				WorkerVersion v = parsed.computeIfAbsent(w.version(), WorkerVersion::parse);
				if (v != null) {
					counts.merge(w.version(), 1L, Long::sum);
				}
			}
		}
		WorkerVersion common = counts.entrySet()
			.stream()
			.max(Map.Entry.<String, Long>comparingByValue().thenComparing((e) -> parsed.get(e.getKey())))
			.map((e) -> parsed.get(e.getKey()))
			.orElse(null);
		Map<String, Boolean> older = new HashMap<>();
		parsed.forEach((raw, v) -> older.put(raw, common != null && v != null && v.compareTo(common) < 0));
		return new Versions(common, older);
	}

	/** The evidence line for a worker that runs an older version than most, or {@code null}. */
	String drift(String version) {
		if (version == null || !this.older.getOrDefault(version, false)) {
			return null;
		}
		return "runs buildbot-worker " + version + "; most of the fleet runs " + this.common
				+ " (version drift: upgrade)";
	}

}
