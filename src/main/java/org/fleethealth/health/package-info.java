/**
 * Judging the fleet: classifies every worker as healthy, offline, flaky-host, failing-build or unknown,
 * with evidence, from the facts the fleet module observed. The classification itself
 * ({@link org.fleethealth.health.Classifier}) is plain Java with an explicit "now".
 */
@ApplicationModule(allowedDependencies = {"fleet", "source", "system"})
package org.fleethealth.health;

import org.springframework.modulith.ApplicationModule;
