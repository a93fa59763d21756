package org.fleethealth.mail;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.fleethealth.pruning.ProposalKind;
import org.fleethealth.pruning.ProposalView;
import org.fleethealth.pruning.ProposalsCreated;
import org.fleethealth.pruning.ReplyAction;
import org.fleethealth.pruning.ReplyService;
import org.fleethealth.source.FleetProperties;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Queues the mails about new proposals in the transaction that opened them: one summary to each maintainer,
 * and a notice to each owner ("will be proposed for removal unless...").
 */
@Component
class ProposalMailer {

	static final String SUMMARY = "proposals";

	static final String NOTICE = "proposal-notice";

	private final Outbox outbox;

	private final MailRenderer renderer;

	private final MailProperties properties;

	private final FleetProperties fleet;

	private final ReplyService replies;

	ProposalMailer(Outbox outbox, MailRenderer renderer, MailProperties properties, FleetProperties fleet,
			ReplyService replies) {
		this.outbox = outbox;
		this.renderer = renderer;
		this.properties = properties;
		this.fleet = fleet;
		this.replies = replies;
	}

	@EventListener
	void onProposals(ProposalsCreated created) {
		// The period names the proposals (and when they were opened), so a re-announcement after a snooze is
		// a new message while a replay of the same event is not.
		String period = created.master() + ":" + created.proposals()
			.stream()
			.map((p) -> p.id() + "@" + p.updatedAt().getEpochSecond())
			.collect(Collectors.joining(","));
		if (period.length() > 100) {
			period = created.master() + ":" + Integer.toHexString(period.hashCode()) + ":"
					+ created.proposals().size();
		}
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("master", created.master());
		model.put("proposals", created.proposals());
		model.put("publicUrl", this.fleet.baseUrl());
		MailRenderer.Rendered summary = this.renderer.render("proposals", model);
		String subject = "[fleet-health] " + created.proposals().size() + " new removal proposal"
				+ ((created.proposals().size() == 1) ? "" : "s") + " on " + created.master();
		for (String maintainer : this.properties.maintainers()) {
			this.outbox.enqueue(SUMMARY, maintainer, period, subject, summary.text(), summary.html());
		}
		for (ProposalView p : created.proposals()) {
			if (p.ownerEmail() != null) {
				notice(p);
			}
		}
	}

	private void notice(ProposalView p) {
		Instant expires = p.updatedAt().plus(this.properties.replyLinkTtl());
		String action = (p.kind() == ProposalKind.REMOVE_WORKER) ? "removal" : "hiding its builders";
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("ownerName", (p.ownerName() != null) ? p.ownerName() : p.ownerEmail());
		model.put("proposal", p);
		model.put("action", action);
		model.put("links", new MailModel.Links(link(p, ReplyAction.BACK_BY, expires),
				link(p, ReplyAction.INVESTIGATING, expires), link(p, ReplyAction.RETIRE, expires)));
		model.put("linkDays", this.properties.replyLinkTtl().toDays());
		model.put("publicUrl", this.fleet.baseUrl());
		MailRenderer.Rendered mail = this.renderer.render("proposal-notice", model);
		this.outbox.enqueue(NOTICE, p.ownerEmail(), "proposal-" + p.id() + "@" + p.updatedAt().getEpochSecond(),
				"[fleet-health] " + p.worker() + " is proposed for " + action, mail.text(), mail.html());
	}

	private String link(ProposalView p, ReplyAction action, Instant expires) {
		return this.fleet.baseUrl() + "replies/"
				+ this.replies.issue(p.master(), p.worker(), p.ownerEmail(), action, expires);
	}

}
