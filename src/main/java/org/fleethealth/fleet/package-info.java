/**
 * The fleet as observed: masters, workers, builders and builds polled from each source by Quartz jobs,
 * plus the connect/disconnect history that Buildbot itself does not keep. Publishes {@link
 * org.fleethealth.fleet.FleetPolled} per master after every poll.
 * <p>
 * The JPA entities and repositories live in {@code fleet.internal}; other modules read the fleet through
 * {@link org.fleethealth.fleet.FleetQueries}, as records ({@link org.fleethealth.fleet.FleetWorker},
 * {@link org.fleethealth.fleet.FleetBuild}, {@link org.fleethealth.fleet.MasterStatus}, ...).
 */
@ApplicationModule(allowedDependencies = {"source", "system"})
package org.fleethealth.fleet;

import org.springframework.modulith.ApplicationModule;
