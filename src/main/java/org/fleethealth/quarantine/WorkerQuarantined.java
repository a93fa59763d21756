package org.fleethealth.quarantine;

/**
 * fleet-health paused a worker in Buildbot (the master accepted the pause). Published in the transaction that
 * recorded it and kept in the event publication registry until the mail module queued the owner's mail.
 *
 * @param quarantine the quarantine, as its owner reads it
 */
public record WorkerQuarantined(QuarantineView quarantine) {
}
