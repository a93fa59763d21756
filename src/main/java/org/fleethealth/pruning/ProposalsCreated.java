package org.fleethealth.pruning;

import java.util.List;

/**
 * Published inside the transaction that opened (or re-opened) proposals, so listeners that write to the
 * mail outbox commit or roll back together with the decision.
 */
public record ProposalsCreated(String master, List<ProposalView> proposals) {
}
