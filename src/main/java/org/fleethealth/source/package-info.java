/**
 * Where fleet facts come from: the {@link org.fleethealth.source.FleetSource} contract that a CI system
 * adapter (Buildbot today; push heartbeats, GitHub/GitLab runners or Jenkins later) implements, the
 * plain records it returns, and the configured masters.
 */
@ApplicationModule(allowedDependencies = {})
package org.fleethealth.source;

import org.springframework.modulith.ApplicationModule;
