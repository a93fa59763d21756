/**
 * Pruning the fleet: removal proposals for long-offline or long-flaky workers (hide their builders from the
 * waterfall, then remove them), with a lifecycle maintainers decide on, and owner replies ("back by",
 * "investigating", "retire it") that arrive through single-use reply links.
 */
@ApplicationModule(allowedDependencies = {"fleet", "health", "system"})
package org.fleethealth.pruning;

import org.springframework.modulith.ApplicationModule;
