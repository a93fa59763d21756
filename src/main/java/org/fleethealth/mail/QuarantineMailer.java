package org.fleethealth.mail;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fleethealth.fleet.WorkerOwners;
import org.fleethealth.fleet.Owner;
import org.fleethealth.pruning.ReplyAction;
import org.fleethealth.pruning.ReplyService;
import org.fleethealth.quarantine.QuarantineProposed;
import org.fleethealth.quarantine.QuarantineView;
import org.fleethealth.quarantine.WorkerQuarantined;
import org.fleethealth.source.FleetProperties;
import org.fleethealth.system.Durations;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Mails the owner of a worker fleet-health quarantined, once per quarantine: what was paused, why, and how to get
 * it back (a "fixed" reply link, or a maintainer's release); and the maintainers of each proposal waiting for them.
 */
@Component
class QuarantineMailer {

	static final String KIND = "quarantine";

	static final String PROPOSAL = "quarantine-proposal";

	private final Outbox outbox;

	private final MailRenderer renderer;

	private final MailProperties properties;

	private final FleetProperties fleet;

	private final ReplyService replies;

	private final WorkerOwners owners;

	QuarantineMailer(Outbox outbox, MailRenderer renderer, MailProperties properties, FleetProperties fleet,
			ReplyService replies, WorkerOwners owners) {
		this.outbox = outbox;
		this.renderer = renderer;
		this.properties = properties;
		this.fleet = fleet;
		this.replies = replies;
		this.owners = owners;
	}

	/**
	 * After the pause committed, in a transaction of its own; a failure is kept and retried (registry), and a replay
	 * queues nothing twice (the outbox's key names the quarantine).
	 */
	@ApplicationModuleListener
	void onQuarantined(WorkerQuarantined event) {
		QuarantineView q = event.quarantine();
		for (Owner.Contact owner : this.owners.owner(q.master(), q.worker()).contacts()) {
			queue(q, owner);
		}
	}

	/** Each maintainer is told of a proposal waiting for a decision, once (the outbox's key names it). */
	@ApplicationModuleListener
	void onProposed(QuarantineProposed event) {
		QuarantineView q = event.quarantine();
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("q", q);
		model.put("publicUrl", this.fleet.baseUrl());
		MailRenderer.Rendered mail = this.renderer.render("quarantine-proposal", model);
		for (MailProperties.Maintainer maintainer : this.properties.maintainerContacts()) {
			this.outbox.enqueue(PROPOSAL, maintainer.address(), maintainer.name(), "quarantine-proposal-" + q.id(),
					"[fleet-health] " + q.worker() + " on " + q.master() + " is proposed for quarantine", mail.text(),
					mail.html());
		}
	}

	private void queue(QuarantineView q, Owner.Contact owner) {
		Instant expires = q.updatedAt().plus(this.properties.replyLinkTtl());
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("ownerName", (owner.name() != null) ? owner.name() : owner.email());
		model.put("q", q);
		model.put("fixed", this.fleet.baseUrl() + "replies/"
				+ this.replies.issue(q.master(), q.worker(), owner.email(), ReplyAction.FIXED, expires));
		model.put("workerUrl", MailModel.workerUrl(this.fleet.baseUrl(), q.master(), q.worker()));
		model.put("linkTtl", Durations.human(this.properties.replyLinkTtl()));
		model.put("publicUrl", this.fleet.baseUrl());
		MailRenderer.Rendered mail = this.renderer.render("quarantine-notice", model);
		this.outbox.enqueue(KIND, owner.email(), owner.name(), "quarantine-" + q.id(),
				"[fleet-health] " + q.worker() + " on " + q.master() + " was quarantined (paused in Buildbot)",
				mail.text(), mail.html());
	}

}
