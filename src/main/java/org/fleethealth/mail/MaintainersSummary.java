package org.fleethealth.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fleethealth.health.WorkerReport;
import org.fleethealth.source.FleetProperties;
import org.fleethealth.system.Durations;
import org.fleethealth.system.FreeText;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Component;

/**
 * The maintainers' weekly summary, queued with the once-over digest (same job, same ISO week, once per maintainer
 * through the outbox): the workers that need attention but have no owner to ask, so that nobody falls through, and
 * the messages that could not be delivered. Nothing is sent in a week with nothing to say.
 */
@Component
class MaintainersSummary {

	static final String KIND = "maintainers-summary";

	/** The most undelivered messages listed. */
	private static final int MAX_UNDELIVERED = 200;

	private final Outbox outbox;

	private final OutboxMessages messages;

	private final MailRenderer renderer;

	private final MailProperties properties;

	private final FleetProperties fleet;

	MaintainersSummary(Outbox outbox, OutboxMessages messages, MailRenderer renderer, MailProperties properties,
			FleetProperties fleet) {
		this.outbox = outbox;
		this.messages = messages;
		this.renderer = renderer;
		this.properties = properties;
		this.fleet = fleet;
	}

	/** A worker nobody can be asked about. */
	record Orphan(String master, String name, String state, String since, String evidence, List<String> owner,
			String url) {
	}

	/** A message given up, and why. */
	record Undelivered(String kind, String recipient, String period, String error) {
	}

	/**
	 * Queues the summary for every maintainer, if there is anything to say; tells how many were queued.
	 *
	 * @param nobodyToAsk workers that need attention and have no owner address
	 */
	int queue(String period, Instant now, List<WorkerReport> nobodyToAsk) {
		if (this.properties.maintainers().isEmpty()) {
			return 0;
		}
		List<Orphan> orphans = nobodyToAsk.stream().map((w) -> orphan(w, now)).toList();
		List<Undelivered> undelivered = this.messages
			.findByStatusAndNextAttemptAtGreaterThanEqualOrderByIdAsc(OutboxMessage.FAILED, now.minus(Duration.ofDays(7)),
					Limit.of(MAX_UNDELIVERED))
			.stream()
			.filter((m) -> !KIND.equals(m.getKind()))
			.map((m) -> new Undelivered(m.getKind(), FreeText.oneLine(m.getRecipient()), m.getPeriod(),
					FreeText.oneLine(m.getLastError())))
			.toList();
		if (orphans.isEmpty() && undelivered.isEmpty()) {
			return 0;
		}
		String subject = "[fleet-health] Weekly summary: " + orphans.size() + " worker"
				+ ((orphans.size() == 1) ? "" : "s") + " with no owner to ask"
				+ (undelivered.isEmpty() ? "" : ", " + undelivered.size() + " undelivered message"
						+ ((undelivered.size() == 1) ? "" : "s"))
				+ " (" + period + ")";
		int queued = 0;
		for (MailProperties.Maintainer maintainer : this.properties.maintainerContacts()) {
			Outbox.Queued result = this.outbox.queue(KIND, maintainer.address(), maintainer.name(), period, () -> {
				Map<String, Object> model = new LinkedHashMap<>();
				model.put("period", period);
				model.put(DigestBody.ITEMS, orphans);
				model.put("undelivered", undelivered);
				model.put("publicUrl", this.fleet.baseUrl());
				return new Outbox.Draft(subject, DigestBody.render(this.renderer, KIND, model,
						OutboxMessage.MAX_TEXT_BODY, OutboxMessage.MAX_HTML_BODY, List.of(),
						(Orphan o) -> o.name() + " (" + o.master() + ")"));
			});
			if (result == Outbox.Queued.QUEUED) {
				queued++;
			}
		}
		return queued;
	}

	private Orphan orphan(WorkerReport w, Instant now) {
		List<String> owner = new ArrayList<>();
		WorkerReport.OwnerView o = w.owner();
		if (o == null || (o.note() == null && o.ignored().isEmpty())) {
			owner.add("nothing written: no configured owner, and the worker reports no info/admin");
		}
		else {
			if (o.note() != null) {
				owner.add(("none".equals(o.source()) ? "info/admin" : "fleet-health." + ownerProperty(o.source()))
						+ " has no address to mail: \"" + FreeText.oneLine(o.note()) + "\"");
			}
			if (!o.ignored().isEmpty()) {
				owner.add("placeholder address" + ((o.ignored().size() == 1) ? "" : "es") + ", never mailed: "
						+ String.join(", ", o.ignored()));
			}
		}
		List<String> evidence = MailModel.lines(w.evidence());
		return new Orphan(w.master(), w.name(), w.state().label(),
				Durations.at(w.since()) + " (" + MailModel.ago(w.since(), now) + ")",
				evidence.isEmpty() ? "" : evidence.get(0), owner, MailModel.workerUrl(this.fleet.baseUrl(), w));
	}

	private static String ownerProperty(String source) {
		return "prefix".equals(source) ? "owners-by-prefix" : "owners";
	}

}
