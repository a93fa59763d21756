/**
 * The release gate ("All Green or No-Go"): whether a master's stable builders allow a release, with the
 * blocking builders and their last builds, the {@code fleet_release_gate} gauge, and a proposal of the stable
 * set recreated from evidence. The rules ({@link org.fleethealth.gate.GateRules},
 * {@link org.fleethealth.gate.StableSetRules}) are plain Java with an explicit "now".
 */
@ApplicationModule(allowedDependencies = {"fleet", "health", "source", "system"})
package org.fleethealth.gate;

import org.springframework.modulith.ApplicationModule;
