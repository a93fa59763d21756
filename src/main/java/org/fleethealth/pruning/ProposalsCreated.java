package org.fleethealth.pruning;

import java.util.List;

/**
 * Proposals were opened (or re-opened). Published inside the transaction that decided them and kept in the event
 * publication registry until the mail module queued its mail, so no proposal goes unannounced.
 *
 * @param master the watched master's name
 * @param proposals the proposals, as maintainers and owners read them
 */
public record ProposalsCreated(String master, List<ProposalView> proposals) {
}
