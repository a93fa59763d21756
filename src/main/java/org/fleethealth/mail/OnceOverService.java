package org.fleethealth.mail;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.pruning.ProposalView;
import org.fleethealth.pruning.PruningService;
import org.fleethealth.pruning.ReplyAction;
import org.fleethealth.pruning.ReplyService;
import org.fleethealth.pruning.ReplyView;
import org.fleethealth.source.FleetProperties;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The weekly once-over: one message per owner covering all of that owner's workers across masters, queued
 * in the outbox once per owner and ISO week. Workers whose master is silent ({@code unknown}) are not
 * mentioned: a master outage never mails owners.
 */
@Service
public class OnceOverService {

	static final String KIND = "once-over";

	private static final Log logger = LogFactory.getLog(OnceOverService.class);

	private final WorkerReports reports;

	private final PruningService pruning;

	private final ReplyService replies;

	private final Outbox outbox;

	private final MailRenderer renderer;

	private final MailProperties properties;

	private final FleetProperties fleet;

	private final Clock clock;

	private final TransactionTemplate transactions;

	OnceOverService(WorkerReports reports, PruningService pruning, ReplyService replies, Outbox outbox,
			MailRenderer renderer, MailProperties properties, FleetProperties fleet, Clock clock,
			TransactionTemplate transactions) {
		this.reports = reports;
		this.pruning = pruning;
		this.replies = replies;
		this.outbox = outbox;
		this.renderer = renderer;
		this.properties = properties;
		this.fleet = fleet;
		this.clock = clock;
		this.transactions = transactions;
	}

	/** What one digest run did. */
	public record Result(String period, int queued, int alreadyQueued, int allGreen, int withoutOwner) {
	}

	/** The ISO week a digest belongs to, e.g. {@code 2026-W48}. */
	static String period(Instant now) {
		var date = now.atZone(ZoneOffset.UTC).toLocalDate();
		return String.format("%d-W%02d", date.get(IsoFields.WEEK_BASED_YEAR), date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
	}

	public Result run() {
		Instant now = this.clock.instant();
		String period = period(now);
		Map<String, List<WorkerReport>> byOwner = new TreeMap<>();
		Map<String, String> ownerNames = new HashMap<>();
		int withoutOwner = 0;
		for (WorkerReport w : this.reports.all()) {
			if (w.state() == WorkerState.UNKNOWN) {
				continue;
			}
			String email = (w.owner() != null) ? w.owner().email() : null;
			if (email == null) {
				withoutOwner++;
				continue;
			}
			byOwner.computeIfAbsent(email, (k) -> new ArrayList<>()).add(w);
			if (w.owner().name() != null) {
				ownerNames.putIfAbsent(email, w.owner().name());
			}
		}
		if (withoutOwner > 0) {
			logger.warn(withoutOwner + " worker(s) have no owner address; set fleet-health.owners[<worker>]=Name <email>");
		}
		Map<String, Map<String, ReplyView>> latestReplies = new HashMap<>();
		int queued = 0;
		int already = 0;
		int green = 0;
		for (Map.Entry<String, List<WorkerReport>> entry : byOwner.entrySet()) {
			String email = entry.getKey();
			List<WorkerReport> workers = entry.getValue();
			boolean attention = workers.stream().anyMatch(MailModel::needsAttention);
			if (!attention && !this.properties.sendAllGreen()) {
				green++;
				continue;
			}
			try {
				Boolean created = this.transactions.execute((tx) -> {
					if (this.outbox.contains(KIND, email, period)) {
						return false;
					}
					Map<String, Object> model = model(email, ownerNames.get(email), workers, period, now, latestReplies);
					MailRenderer.Rendered mail = this.renderer.render("once-over", model);
					return this.outbox.enqueue(KIND, email, period, subject(workers, period), mail.text(), mail.html());
				});
				if (Boolean.TRUE.equals(created)) {
					queued++;
				}
				else {
					already++;
				}
			}
			catch (DataIntegrityViolationException ex) {
				// Another instance queued this owner's digest a moment ago.
				already++;
			}
		}
		logger.info("Once-over " + period + ": " + queued + " queued, " + already + " already queued, " + green
				+ " owners all green");
		return new Result(period, queued, already, green, withoutOwner);
	}

	private static String subject(List<WorkerReport> workers, String period) {
		long attention = workers.stream().filter(MailModel::needsAttention).count();
		return (attention == 0) ? "[fleet-health] Your build workers are all green (" + period + ")"
				: "[fleet-health] Once-over requested: " + attention + " of your " + workers.size() + " build worker"
						+ ((workers.size() == 1) ? "" : "s") + " (" + period + ")";
	}

	Map<String, Object> model(String email, String name, List<WorkerReport> workers, String period, Instant now,
			Map<String, Map<String, ReplyView>> latestReplies) {
		Instant expires = now.plus(this.properties.replyLinkTtl());
		List<MailModel.WorkerItem> attention = new ArrayList<>();
		List<String> healthy = new ArrayList<>();
		for (WorkerReport w : workers) {
			if (!MailModel.needsAttention(w)) {
				healthy.add(w.name() + " (" + w.master() + ")");
				continue;
			}
			ReplyView reply = latestReplies.computeIfAbsent(w.master(), this.pruning::latestReplies).get(w.name());
			List<String> open = this.pruning.proposals(w.master(), w.name())
				.stream()
				.filter((p) -> p.status().isOpen())
				.map(OnceOverService::describe)
				.toList();
			MailModel.Links links = new MailModel.Links(link(w, email, ReplyAction.BACK_BY, expires),
					link(w, email, ReplyAction.INVESTIGATING, expires), link(w, email, ReplyAction.RETIRE, expires));
			attention.add(new MailModel.WorkerItem(w.master(), w.name(), w.state().label(), w.since().toString(),
					MailModel.ago(w.since(), now), w.evidence(), MailModel.ask(w),
					this.fleet.baseUrl() + "workers/" + w.master() + "/" + w.name(),
					(reply != null) ? reply.summary() + " on " + reply.at() : null, open, links));
		}
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("ownerName", (name != null) ? name : email);
		model.put("period", period);
		model.put("workers", attention);
		model.put("healthy", healthy);
		model.put("publicUrl", this.fleet.baseUrl());
		model.put("linkDays", this.properties.replyLinkTtl().toDays());
		return model;
	}

	static String describe(ProposalView p) {
		return p.kind() + " (" + p.status() + ((p.snoozedUntil() != null) ? " until " + p.snoozedUntil() : "") + ")";
	}

	private String link(WorkerReport w, String email, ReplyAction action, Instant expires) {
		return this.fleet.baseUrl() + "replies/" + this.replies.issue(w.master(), w.name(), email, action, expires);
	}

}
