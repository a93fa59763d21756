/**
 * The Buildbot adapter: reads a master's REST data API ({@code /api/v2/...}) politely (every request
 * bounded with {@code limit}, paging only on the indexed {@code buildid}, timeouts on every call) and turns
 * its JSON into {@link org.fleethealth.source} records.
 */
@ApplicationModule(allowedDependencies = {"source"})
package org.fleethealth.buildbot;

import org.springframework.modulith.ApplicationModule;
