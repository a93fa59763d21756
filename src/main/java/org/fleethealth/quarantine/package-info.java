/**
 * Quarantine of flaky hosts: a worker that stays {@code flaky-host} is proposed for a pause in Buildbot, paused once
 * a maintainer approves (or at once with {@code fleet-health.quarantine.auto}), unless the safety valve
 * ({@link org.fleethealth.quarantine.QuarantineRules}) refuses; released by its owner's "fixed" reply or a
 * maintainer, then on probation for its next builds. Entities and repositories live in {@code quarantine.internal}.
 */
@ApplicationModule(allowedDependencies = {"fleet", "gate", "health", "pruning", "source", "system"})
package org.fleethealth.quarantine;

import org.springframework.modulith.ApplicationModule;
