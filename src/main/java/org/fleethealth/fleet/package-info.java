/**
 * The fleet as observed: masters, workers, builders and builds polled from each source by Quartz jobs,
 * plus the connect/disconnect history that Buildbot itself does not keep. Publishes {@link
 * org.fleethealth.fleet.FleetPolled} after every poll round.
 */
package org.fleethealth.fleet;
