package org.fleethealth.health;

/**
 * What the classification made of one build: whose fault it was, and why. For builds that are no plain success;
 * the gate reads them to tell a host's failure from the code's.
 *
 * @param buildId the master's build id
 * @param worker the name of the worker that ran it
 * @param outcome what it says about its worker ({@link Outcome})
 * @param reason why, naming the builds that prove it (for a host failure on a shared builder, the pool mates' builds
 * that passed), or {@code null} for a plain failure of the build
 */
public record JudgedBuild(long buildId, String worker, Outcome outcome, String reason) {
}
