package org.fleethealth.quarantine;

/**
 * A worker was proposed for quarantine and waits for a maintainer (not published with {@code auto}, which decides
 * at once). Published in the transaction that opened it; the mail module tells the maintainers.
 *
 * @param quarantine the proposal, as maintainers read it
 */
public record QuarantineProposed(QuarantineView quarantine) {
}
