/**
 * Prometheus metrics of the fleet ({@code fleet_*} on the wire). Gauges read an in-memory snapshot that is
 * replaced after each classification, so a scrape never touches the database.
 */
@ApplicationModule(allowedDependencies = {"fleet", "health"})
package org.fleethealth.metrics;

import org.springframework.modulith.ApplicationModule;
