package org.fleethealth.health;

import java.time.Instant;
import java.util.Map;

/**
 * Workers whose host was repaired, where another module knows it: fleet-health's quarantine releases a worker on
 * probation once its owner says it is fixed (or a maintainer releases it), and closes the quarantine when the builds
 * after the release had no host failure. The builds before that release are not held against the host any more:
 * without this a repaired host read {@code flaky-host} again the moment it was released, and for the rest of the
 * window (7 days), and its owner was asked about it again. (A host failure on probation is the quarantine's to
 * answer: it quarantines the worker again.) Implementations are beans; the classification asks them once per master
 * and round.
 */
public interface HostRepairs {

	/**
	 * The workers of a master whose host was repaired, by worker name: the instant from which their builds count
	 * (their release from quarantine, on the probation they are on or passed).
	 *
	 * @param master the watched master's name
	 * @return empty when none
	 */
	Map<String, Instant> repairedSince(String master);

}
