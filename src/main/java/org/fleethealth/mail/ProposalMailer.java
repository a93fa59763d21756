package org.fleethealth.mail;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.fleethealth.fleet.WorkerOwners;
import org.fleethealth.fleet.Owner;
import org.fleethealth.pruning.ProposalKind;
import org.fleethealth.pruning.OwnerReplied;
import org.fleethealth.pruning.ProposalView;
import org.fleethealth.pruning.ProposalsCreated;
import org.fleethealth.pruning.PruningService;
import org.fleethealth.pruning.ReplyAction;
import org.fleethealth.pruning.ReplyService;
import org.fleethealth.pruning.SharedWorkers;
import org.fleethealth.source.FleetProperties;
import org.fleethealth.system.FreeText;
import org.fleethealth.system.Durations;
import org.fleethealth.system.Hashes;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Queues the mails about new proposals in the transaction that opened them: one summary to each maintainer,
 * and a notice to each owner ("will be proposed for removal unless...").
 */
@Component
class ProposalMailer {

	static final String SUMMARY = "proposals";

	static final String NOTICE = "proposal-notice";

	static final String RETIRED = "retired";

	/** Kind of the maintainers' mail: an owner answered "back by" or "investigating" after the removal was approved. */
	static final String REMOVAL_REPLY = "removal-reply";

	/** The {@code period} column's bound (V2). */
	private static final int MAX_PERIOD = 100;

	private final Outbox outbox;

	private final MailRenderer renderer;

	private final MailProperties properties;

	private final FleetProperties fleet;

	private final ReplyService replies;

	private final WorkerOwners owners;

	private final SharedWorkers shared;

	private final PruningService pruning;

	ProposalMailer(Outbox outbox, MailRenderer renderer, MailProperties properties, FleetProperties fleet,
			ReplyService replies, WorkerOwners owners, SharedWorkers shared, PruningService pruning) {
		this.pruning = pruning;
		this.owners = owners;
		this.shared = shared;
		this.outbox = outbox;
		this.renderer = renderer;
		this.properties = properties;
		this.fleet = fleet;
		this.replies = replies;
	}

	/**
	 * The outbox period of a summary: it names the proposals (and when they were opened), so a re-announcement after
	 * a snooze is a new message while a replay of the same event is not. Too long for the column, it is a SHA-256
	 * of that name: two different sets of proposals never share a key (a 32-bit hash would, now and then, and the
	 * second summary would be dropped as "already queued").
	 */
	static String period(String master, List<ProposalView> proposals) {
		String period = master + ":" + proposals.stream()
			.map((p) -> p.id() + "@" + p.updatedAt().getEpochSecond())
			.collect(Collectors.joining(","));
		if (period.length() <= MAX_PERIOD) {
			return period;
		}
		return FreeText.fit(master, 20) + ":" + Hashes.sha256(period);
	}

	/**
	 * After the proposals committed, in a transaction of its own; a failure is kept and retried (registry), and a
	 * replay queues nothing twice (the outbox's key).
	 */
	@ApplicationModuleListener
	void onProposals(ProposalsCreated created) {
		String period = period(created.master(), created.proposals());
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("master", created.master());
		model.put("heading", ProposalsSummary.heading(created.proposals()));
		model.put("proposals", created.proposals());
		model.put("twins", twins(created.proposals()));
		model.put("publicUrl", this.fleet.baseUrl());
		MailRenderer.Rendered summary = this.renderer.render("proposals", model);
		String subject = ProposalsSummary.subject(created.master(), created.proposals());
		for (MailProperties.Maintainer maintainer : this.properties.maintainerContacts()) {
			this.outbox.enqueue(SUMMARY, maintainer.address(), maintainer.name(), period, subject, summary.text(), summary.html());
		}
		for (ProposalView p : created.proposals()) {
			if (this.shared.toldOnAnotherMaster(p)) {
				// The same worker on another master (LLVM's staging beside production): its owner heard of this from
				// that master's proposal, whose reply links count here too. The maintainers' summary still lists it.
				continue;
			}
			List<String> alsoOn = this.shared.masters(p.master(), p.worker()).stream().skip(1).toList();
			// Every owner address is told, each with reply links of their own.
			for (Owner.Contact owner : this.owners.owner(p.master(), p.worker()).contacts()) {
				notice(p, alsoOn, owner);
			}
		}
	}

	/**
	 * What the summary says of each proposal whose worker waits on another master too (LLVM's staging beside
	 * production), by proposal id: the twin opened first is summarised without it, since the second did not exist.
	 */
	private Map<Long, String> twins(List<ProposalView> proposals) {
		Map<Long, String> twins = new LinkedHashMap<>();
		if (!this.shared.active()) {
			return twins;
		}
		for (ProposalView p : proposals) {
			List<ProposalView> others = this.pruning.twins(p.id());
			if (!others.isEmpty()) {
				twins.put(p.id(), ProposalsSummary.twins(others));
			}
		}
		return twins;
	}

	/**
	 * An owner asked to retire a worker: its removal is approved at once, so the maintainers, who carry removals out
	 * on the master, are told (it was seen only on {@code /pruning} and in the export). Once per reply.
	 */
	@ApplicationModuleListener
	void onReplied(OwnerReplied replied) {
		if (replied.action() == ReplyAction.RETIRE) {
			retired(replied);
		}
		else if (replied.action() == ReplyAction.BACK_BY || replied.action() == ReplyAction.INVESTIGATING) {
			this.replies.approvedRemoval(replied.master(), replied.worker())
				.ifPresent((removal) -> removalReply(replied, removal));
		}
	}

	private void retired(OwnerReplied replied) {
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("replied", replied);
		model.put("at", Durations.at(replied.at()));
		model.put("publicUrl", this.fleet.baseUrl());
		MailRenderer.Rendered mail = this.renderer.render("retired", model);
		String period = "retire:" + replied.master() + "/" + replied.worker() + "@" + replied.at().getEpochSecond();
		if (period.length() > MAX_PERIOD) {
			period = "retire:" + Hashes.sha256(period);
		}
		for (MailProperties.Maintainer maintainer : this.properties.maintainerContacts()) {
			this.outbox.enqueue(RETIRED, maintainer.address(), maintainer.name(), period, "[fleet-health] " + replied.worker() + " on "
					+ replied.master() + " is to be retired, as its owner asked", mail.text(), mail.html());
		}
	}

	/**
	 * An owner answered "back by" or "investigating" about a worker whose removal was approved already: no proposal
	 * waits to be snoozed, so the answer would change nothing. The maintainers, who carry removals out, are told
	 * before they take it out of the configuration (a trial's owner was thanked, "recorded", and nobody heard).
	 */
	private void removalReply(OwnerReplied replied, ProposalView removal) {
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("replied", replied);
		model.put("at", Durations.at(replied.at()));
		model.put("removal", removal);
		// Each master's approved removal of the worker, so that none is carried out unasked.
		model.put("removals", this.replies.approvedRemovals(replied.master(), replied.worker())
			.stream()
			.map((p) -> "#" + p.id() + " on " + p.master())
			.collect(Collectors.joining(", ")));
		model.put("decidedAt", Durations.at(removal.decidedAt()));
		model.put("answer", (replied.action() == ReplyAction.BACK_BY) ? "it will be back by " + replied.backBy()
				: "they are investigating it");
		model.put("workerUrl", MailModel.workerUrl(this.fleet.baseUrl(), replied.master(), replied.worker()));
		model.put("publicUrl", this.fleet.baseUrl());
		MailRenderer.Rendered mail = this.renderer.render(REMOVAL_REPLY, model);
		String period = "removal-reply:" + replied.master() + "/" + replied.worker() + "@" + replied.at().getEpochSecond();
		if (period.length() > MAX_PERIOD) {
			period = "removal-reply:" + Hashes.sha256(period);
		}
		for (MailProperties.Maintainer maintainer : this.properties.maintainerContacts()) {
			this.outbox.enqueue(REMOVAL_REPLY, maintainer.address(), maintainer.name(), period, "[fleet-health] "
					+ replied.worker() + "'s owner answered after its removal was approved", mail.text(), mail.html());
		}
	}

	/** @param alsoOn the other masters that have the same worker, where the owner's reply counts as well */
	private void notice(ProposalView p, List<String> alsoOn, Owner.Contact owner) {
		Instant expires = p.updatedAt().plus(this.properties.replyLinkTtl());
		String action = (p.kind() == ProposalKind.REMOVE_WORKER) ? "removal" : "hiding its builders";
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("ownerName", (owner.name() != null) ? owner.name() : owner.email());
		model.put("proposal", p);
		model.put("alsoOn", String.join(", ", alsoOn));
		model.put("action", action);
		model.put("links", new MailModel.Links(link(p, owner, ReplyAction.BACK_BY, expires),
				link(p, owner, ReplyAction.INVESTIGATING, expires), link(p, owner, ReplyAction.RETIRE, expires)));
		model.put("linkTtl", Durations.human(this.properties.replyLinkTtl()));
		model.put("publicUrl", this.fleet.baseUrl());
		MailRenderer.Rendered mail = this.renderer.render("proposal-notice", model);
		this.outbox.enqueue(NOTICE, owner.email(), owner.name(),
				"proposal-" + p.id() + "@" + p.updatedAt().getEpochSecond(),
				"[fleet-health] " + p.worker() + " is proposed for " + action, mail.text(), mail.html());
	}

	private String link(ProposalView p, Owner.Contact owner, ReplyAction action, Instant expires) {
		return this.fleet.baseUrl() + "replies/"
				+ this.replies.issue(p.master(), p.worker(), owner.email(), action, expires);
	}

}
