/**
 * Cross-cutting infrastructure: the one UTC clock every module reads time from, clustered mode (Quartz's
 * JDBC job store shared by several instances on PostgreSQL) and the log lines and counters of every job run.
 */
@ApplicationModule(allowedDependencies = {})
package org.fleethealth.system;

import org.springframework.modulith.ApplicationModule;
