package org.fleethealth.health;

import java.time.Instant;

/**
 * A master's workers were classified (or, with {@code reclassified} false, their stored judgements were reloaded:
 * at start, and on the instances of a cluster that did not classify). Published inside the classifying
 * transaction and kept in the event publication registry until every listener completed, so it carries names
 * and instants only: listeners read the reports from {@link Classifications#of(WorkersClassified)}.
 *
 * @param master the watched master's name
 * @param classifiedAt when the round ran (the service clock)
 * @param reclassified whether this instance judged the workers just now; only such rounds should trigger
 * decisions such as proposals
 */
public record WorkersClassified(String master, Instant classifiedAt, boolean reclassified) {
}
