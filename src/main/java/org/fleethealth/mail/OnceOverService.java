package org.fleethealth.mail;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.pruning.ProposalKind;
import org.fleethealth.pruning.ProposalStatus;
import org.fleethealth.pruning.ProposalView;
import org.fleethealth.pruning.PruningService;
import org.fleethealth.pruning.ReplyAction;
import org.fleethealth.pruning.ReplyService;
import org.fleethealth.pruning.ReplyView;
import org.fleethealth.pruning.SharedWorkers;
import org.fleethealth.source.FleetProperties;
import org.fleethealth.system.Durations;
import org.fleethealth.system.FreeText;
import org.springframework.stereotype.Service;

/**
 * The weekly once-over: one message per owner covering all of that owner's workers across masters, queued
 * in the outbox once per owner and ISO week. Workers whose master is silent ({@code unknown}) are not
 * mentioned: a master outage never mails owners.
 */
@Service
public class OnceOverService {

	static final String KIND = "once-over";

	static final String SUMMARY = MaintainersSummary.KIND;

	/** The most healthy workers a digest names one by one. */
	private static final int MAX_HEALTHY = 200;

	private static final Log logger = LogFactory.getLog(OnceOverService.class);

	private final WorkerReports reports;

	private final PruningService pruning;

	private final ReplyService replies;

	private final Outbox outbox;

	private final MailRenderer renderer;

	private final MailProperties properties;

	private final FleetProperties fleet;

	private final Clock clock;

	private final MaintainersSummary summary;

	private final SharedWorkers shared;

	OnceOverService(WorkerReports reports, PruningService pruning, ReplyService replies, Outbox outbox,
			MailRenderer renderer, MailProperties properties, FleetProperties fleet, Clock clock,
			MaintainersSummary summary, SharedWorkers shared) {
		this.summary = summary;
		this.shared = shared;
		this.reports = reports;
		this.pruning = pruning;
		this.replies = replies;
		this.outbox = outbox;
		this.renderer = renderer;
		this.properties = properties;
		this.fleet = fleet;
		this.clock = clock;
	}

	/**
	 * What one digest run did.
	 *
	 * @param allGreen owners the digest asks nothing (each worker healthy, paused, or retiring as they asked): mailed only with
	 * {@code send-all-green} (and then also
	 * counted in {@code queued} or {@code alreadyQueued}), else left alone
	 * @param failed owners whose digest could not be queued (logged as errors; they are tried again next run)
	 * @param summaries maintainers' weekly summaries queued
	 */
	public record Result(String period, int queued, int alreadyQueued, int allGreen, int withoutOwner, int failed,
			int summaries) {

		/** A run in which every digest could be queued and no summary was due. */
		public Result(String period, int queued, int alreadyQueued, int allGreen, int withoutOwner) {
			this(period, queued, alreadyQueued, allGreen, withoutOwner, 0, 0);
		}

	}

	/** The ISO week a digest belongs to, e.g. {@code 2026-W48}. */
	static String period(Instant now) {
		var date = now.atZone(ZoneOffset.UTC).toLocalDate();
		return String.format("%d-W%02d", date.get(IsoFields.WEEK_BASED_YEAR), date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
	}

	/**
	 * Queues this week's digest for every owner address with something to do, and the maintainers' summary. Every
	 * address of a worker's owners gets the worker in its digest; a worker that needs attention and has nobody to
	 * mail goes into the maintainers' summary instead.
	 */
	public Result run() {
		Instant now = this.clock.instant();
		String period = period(now);
		Map<String, List<WorkerReport>> byOwner = new TreeMap<>();
		Map<String, String> addresses = new HashMap<>();
		Map<String, String> ownerNames = new HashMap<>();
		List<WorkerReport> nobodyToAsk = new ArrayList<>();
		int withoutOwner = 0;
		Map<String, List<String>> mastersOf = new HashMap<>();
		for (WorkerReport w : onePerWorker(this.reports.all(), mastersOf)) {
			if (w.owner() == null || !w.owner().hasAddress()) {
				withoutOwner++;
				if (MailModel.needsAttention(w)) {
					nobodyToAsk.add(w);
				}
				continue;
			}
			for (WorkerReport.Address address : w.owner().addresses()) {
				// One digest per address, however its case is written on different workers.
				String key = address.email().toLowerCase(Locale.ROOT);
				addresses.putIfAbsent(key, address.email());
				byOwner.computeIfAbsent(key, (k) -> new ArrayList<>()).add(w);
				if (address.name() != null) {
					ownerNames.putIfAbsent(key, address.name());
				}
			}
		}
		if (withoutOwner > 0) {
			logger.warn(withoutOwner + " worker(s) have no owner address (" + nobodyToAsk.size()
					+ " of them need attention and go to the maintainers' summary); set"
					+ " fleet-health.owners[<worker>] or fleet-health.owners-by-prefix[<prefix>]");
		}
		Map<String, Map<String, ReplyView>> latestReplies = new HashMap<>();
		int queued = 0;
		int already = 0;
		int green = 0;
		int failed = 0;
		for (Map.Entry<String, List<WorkerReport>> entry : byOwner.entrySet()) {
			String email = addresses.get(entry.getKey());
			String name = ownerNames.get(entry.getKey());
			List<WorkerReport> workers = entry.getValue();
			long asked = workers.stream().filter((w) -> asks(w, latestReplies)).count();
			if (asked == 0) {
				// Counted whether or not they are mailed: with send-all-green they are among those queued too.
				green++;
				if (!this.properties.sendAllGreen()) {
					continue;
				}
			}
			switch (this.outbox.queue(KIND, email, name, period, () -> {
				Map<String, Object> model = model(email, name, workers, period, now, latestReplies,
						mastersOf);
				return new Outbox.Draft(subject(asked, workers.size(), period),
						DigestBody.render(this.renderer, "once-over", model));
			})) {
				case QUEUED -> queued++;
				case ALREADY_QUEUED -> already++;
				case FAILED -> failed++;
			}
		}
		int summaries = this.summary.queue(period, now, nobodyToAsk);
		logger.info("Once-over " + period + ": " + queued + " queued, " + already + " already queued, " + green
				+ " owners all green" + ((failed > 0) ? ", " + failed + " could not be queued" : "") + "; "
				+ summaries + " maintainers' summaries queued");
		return new Result(period, queued, already, green, withoutOwner, failed, summaries);
	}

	/**
	 * The reports the digest covers: none {@code unknown}, and a worker configured on several watched masters
	 * ({@link SharedWorkers}) once, as the master that sees it most troubled reports it (the first in configuration
	 * order when they agree). A fresh user's trial got one worker twice, with two sets of reply links.
	 *
	 * @param mastersOf filled with the masters of each worker name, in the order of the reports
	 */
	private List<WorkerReport> onePerWorker(List<WorkerReport> reports, Map<String, List<String>> mastersOf) {
		boolean shared = this.shared.active();
		Map<String, WorkerReport> chosen = new LinkedHashMap<>();
		for (WorkerReport w : reports) {
			if (w.state() == WorkerState.UNKNOWN) {
				continue;
			}
			String key = shared ? w.name() : w.master() + "/" + w.name();
			mastersOf.computeIfAbsent(key, (k) -> new ArrayList<>()).add(w.master());
			chosen.merge(key, w, (a, b) -> (b.state().compareTo(a.state()) < 0) ? b : a);
		}
		return List.copyOf(chosen.values());
	}

	/** "lab", or "lab (also configured on staging)" for a worker the digest covers once for several masters. */
	private static String where(WorkerReport w, Map<String, List<String>> mastersOf) {
		List<String> others = mastersOf.getOrDefault(w.name(), List.of())
			.stream()
			.filter((m) -> !m.equals(w.master()))
			.toList();
		return others.isEmpty() ? w.master() : w.master() + " (also configured on " + String.join(", ", others) + ")";
	}

	/**
	 * Whether the digest asks its owner something about the worker: it needs attention, and its owner did not ask
	 * to retire it (its removal is approved; asking again why it is down was a new user's finding).
	 */
	private boolean asks(WorkerReport w, Map<String, Map<String, ReplyView>> latestReplies) {
		if (!MailModel.needsAttention(w)) {
			return false;
		}
		ReplyView reply = latestReplies.computeIfAbsent(w.master(), this.replies::latestReplies).get(w.name());
		return reply == null || reply.action() != ReplyAction.RETIRE;
	}

	private static String subject(long asked, int workers, String period) {
		return (asked == 0) ? "[fleet-health] Your build workers are all green (" + period + ")"
				: "[fleet-health] Once-over requested: " + asked + " of your " + workers + " build worker"
						+ ((workers == 1) ? "" : "s") + " (" + period + ")";
	}

	Map<String, Object> model(String email, String name, List<WorkerReport> workers, String period, Instant now,
			Map<String, Map<String, ReplyView>> latestReplies, Map<String, List<String>> mastersOf) {
		Instant expires = now.plus(this.properties.replyLinkTtl());
		List<MailModel.WorkerItem> attention = new ArrayList<>();
		List<String> healthy = new ArrayList<>();
		for (WorkerReport w : workers) {
			ReplyView reply = latestReplies.computeIfAbsent(w.master(), this.replies::latestReplies).get(w.name());
			if (!asks(w, latestReplies)) {
				// Paused (a planned downtime, a quarantine) or retiring asks nothing of the owner either, but is not
				// healthy.
				healthy.add(w.name() + " (" + where(w, mastersOf) + (MailModel.needsAttention(w)
						? ", to be retired as you asked on " + Durations.at(reply.at())
						: (w.state() != WorkerState.HEALTHY) ? ", " + w.state().label() : "") + ")");
				continue;
			}
			List<ProposalView> proposals = this.pruning.proposals(w.master(), w.name())
				.stream()
				.filter((p) -> p.status().isOpen())
				.toList();
			List<String> open = proposals.stream().map(OnceOverService::describe).toList();
			boolean removing = proposals.stream()
				.anyMatch((p) -> p.kind() == ProposalKind.REMOVE_WORKER && p.status() == ProposalStatus.APPROVED);
			MailModel.Links links = new MailModel.Links(
					MailModel.asksBackBy(w) ? link(w, email, ReplyAction.BACK_BY, expires) : null,
					link(w, email, ReplyAction.INVESTIGATING, expires),
					removing ? null : link(w, email, ReplyAction.RETIRE, expires));
			attention.add(new MailModel.WorkerItem(where(w, mastersOf), w.name(), w.state().label(), Durations.at(w.since()),
					MailModel.ago(w.since(), now), MailModel.lines(w.evidence()), ask(w, proposals),
					MailModel.workerUrl(this.fleet.baseUrl(), w),
					(reply != null) ? FreeText.oneLine(reply.summary()) + " on " + Durations.at(reply.at()) : null,
					open, links));
		}
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("ownerName", FreeText.oneLine((name != null) ? name : email));
		model.put("period", period);
		model.put("workers", attention);
		model.put("allHealthy", workers.stream().allMatch((w) -> w.state() == WorkerState.HEALTHY));
		model.put("healthy", (healthy.size() <= MAX_HEALTHY) ? healthy
				: List.of(FreeText.join(healthy, ", ", MAX_HEALTHY * 20)));
		model.put("publicUrl", this.fleet.baseUrl());
		model.put("linkTtl", Durations.human(this.properties.replyLinkTtl()));
		return model;
	}

	/**
	 * What the owner is asked: as {@link MailModel#ask}, unless its removal is approved already; then they are told
	 * so, and that an answer reaches the maintainers ({@link ProposalMailer}), rather than asked why it is down.
	 */
	static String ask(WorkerReport w, List<ProposalView> proposals) {
		return proposals.stream()
			.filter((p) -> p.kind() == ProposalKind.REMOVE_WORKER && p.status() == ProposalStatus.APPROVED)
			.findFirst()
			.map((p) -> "Its removal was approved (by " + p.decidedBy() + " on " + Durations.at(p.decidedAt())
					+ "): it is to be taken out of the master's configuration. If it should stay, answer below:"
					+ " the maintainers are told.")
			.orElseGet(() -> MailModel.ask(w));
	}

	static String describe(ProposalView p) {
		return p.kind() + " (" + p.status() + ((p.snoozedUntil() != null) ? " until " + p.snoozedUntil() : "") + ")";
	}

	private String link(WorkerReport w, String email, ReplyAction action, Instant expires) {
		return this.fleet.baseUrl() + "replies/" + this.replies.issue(w.master(), w.name(), email, action, expires);
	}

}
