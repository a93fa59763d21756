package org.fleethealth.quarantine;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.FleetWorker;
import org.fleethealth.health.JudgedBuild;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.quarantine.QuarantineRules.Verdict;
import org.fleethealth.quarantine.internal.Quarantine;
import org.fleethealth.quarantine.internal.QuarantineEvent;
import org.fleethealth.quarantine.internal.QuarantineEvents;
import org.fleethealth.quarantine.internal.Quarantines;
import org.fleethealth.source.FleetSource;
import org.fleethealth.source.FleetSources;
import org.fleethealth.source.SourceAccessDeniedException;
import org.fleethealth.source.SourceException;
import org.fleethealth.system.FreeText;
import org.fleethealth.system.MasterSerial;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * What fleet-health does to a quarantine, in the caller's transaction (not proxied, so the master serial is shared
 * as a field): approving runs the safety valve and then
 * pauses the worker on its master; releasing unpauses it. Every step goes into the worker's quarantine history.
 */
@Component
class QuarantineActions {

	/** How every pause reason fleet-health sends begins; a pause with another reason is someone else's. */
	static final String PREFIX = "quarantined by fleet-health: ";

	static final String FLEET_HEALTH = "fleet-health";

	private static final Log logger = LogFactory.getLog(QuarantineActions.class);

	private final Quarantines quarantines;

	private final QuarantineEvents events;

	private final QuarantineFacts facts;

	private final QuarantineRules rules;

	private final FleetQueries fleet;

	private final QuarantineMetrics metrics;

	private final ApplicationEventPublisher publisher;

	private final Map<String, FleetSource> sources = new HashMap<>();

	/** One master's quarantines change one transaction at a time: the rounds', the maintainers' and the owners'. */
	final MasterSerial serial = new MasterSerial();

	QuarantineActions(Quarantines quarantines, QuarantineEvents events, QuarantineFacts facts,
			QuarantineProperties properties, FleetQueries fleet, QuarantineMetrics metrics,
			ApplicationEventPublisher publisher, List<FleetSources> sources) {
		this.quarantines = quarantines;
		this.events = events;
		this.facts = facts;
		this.rules = new QuarantineRules(properties.maxShare());
		this.fleet = fleet;
		this.metrics = metrics;
		this.publisher = publisher;
		sources.forEach((s) -> s.sources().forEach((source) -> this.sources.put(source.masterName(), source)));
	}

	/** The workers of a master that fleet-health holds paused now. */
	Set<String> quarantined(String master) {
		return this.quarantines.findByMasterAndStatusIn(master, List.of(QuarantineStatus.QUARANTINED))
			.stream()
			.map(Quarantine::getWorker)
			.collect(Collectors.toSet());
	}

	/**
	 * Approves a proposal: the safety valve decides, then the worker is paused. Ends refused, quarantined, without
	 * access, withdrawn (someone else paused it meanwhile), or proposed again when the master could not be reached.
	 *
	 * @param judged what the latest classification made of the master's builds (may be empty)
	 */
	void approve(Quarantine q, String by, Map<Long, JudgedBuild> judged, Instant now) {
		approve(q, by, this.facts.cases(q.getMaster(), judged, now), now);
	}

	/**
	 * Approves a proposal as {@link #approve(Quarantine, String, Map, Instant)} does, with the valve's cases of a
	 * round that may approve several ({@link QuarantineFacts#cases}).
	 */
	void approve(Quarantine q, String by, QuarantineFacts.Cases cases, Instant now) {
		q.decide(by, now);
		record(q, "approved", by, null, now);
		Set<String> held = quarantined(q.getMaster());
		held.remove(q.getWorker());
		Optional<Verdict> refusal = this.rules.check(cases.of(q.getWorker(), held));
		if (refusal.isPresent()) {
			Verdict v = refusal.get();
			q.refuse(v.refusal(), "refused by the safety valve (" + v.refusal() + "): " + v.why(), now);
			record(q, "refused", FLEET_HEALTH, v.refusal() + ": " + v.why(), now);
			this.metrics.refused(v.refusal());
			logger.warn("Refused to quarantine '" + q.getWorker() + "' of master '" + q.getMaster() + "' (proposal #"
					+ q.getId() + ", " + v.refusal() + "): " + v.why());
			return;
		}
		pause(q, by, now);
	}

	/**
	 * Opens a proposal for a flaky-host worker and records it as proposed.
	 *
	 * @param takeover the builders the other workers would take over, as {@code builder: worker, worker}
	 */
	Quarantine propose(String master, WorkerReport report, List<String> takeover, Instant now) {
		Quarantine q = this.quarantines.save(new Quarantine(master, report.name(), report.since(),
				String.join("\n", report.evidence()), takeover, owner(report), now));
		String first = report.evidence().isEmpty() ? "flaky-host" : report.evidence().get(0);
		record(q, "proposed", FLEET_HEALTH, "flaky-host since " + report.since() + ": " + first, now);
		logger.info("Proposed to quarantine '" + report.name() + "' of master '" + master + "' (proposal #"
				+ q.getId() + "): " + first);
		return q;
	}

	/** The owner as the proposal shows it: {@code Name <address>}, the address, or the note saying why none. */
	private static String owner(WorkerReport report) {
		WorkerReport.OwnerView o = report.owner();
		if (o == null) {
			return null;
		}
		if (o.email() != null) {
			return (o.name() != null) ? o.name() + " <" + o.email() + ">" : o.email();
		}
		return o.note();
	}

	/**
	 * What the safety valve says to quarantining the worker now, deciding nothing.
	 *
	 * @param held the master's other workers fleet-health holds quarantined now
	 * @return the first refusal, or empty when it would let the quarantine through
	 */
	Optional<Verdict> refusal(QuarantineFacts.Cases cases, String worker, Set<String> held) {
		return this.rules.check(cases.of(worker, held));
	}

	private void pause(Quarantine q, String by, Instant now) {
		FleetWorker w = this.fleet.worker(q.getMaster(), q.getWorker()).orElse(null);
		FleetSource source = this.sources.get(q.getMaster());
		if (w == null || source == null) {
			end(q, QuarantineStatus.WITHDRAWN, "withdrawn", "the worker or its master is no longer watched", now);
			return;
		}
		if (w.paused()) {
			end(q, QuarantineStatus.WITHDRAWN, "withdrawn",
					"it is paused in Buildbot already, by someone else: fleet-health leaves it alone", now);
			return;
		}
		String reason = FreeText.abbreviate(FreeText.oneLine(PREFIX + "proposal #" + q.getId() + ": " + q.getEvidence()),
				500);
		try {
			source.pause(w.buildbotId(), reason);
		}
		catch (SourceAccessDeniedException ex) {
			end(q, QuarantineStatus.NO_ACCESS, "no-access",
					"no write access to master '" + q.getMaster() + "', nothing was done: " + ex.getMessage(), now);
			logger.warn("Could not quarantine '" + q.getWorker() + "': " + ex.getMessage());
			return;
		}
		catch (SourceException ex) {
			q.note("pausing failed, approve again to retry: " + ex.getMessage(), now);
			q.moveTo(QuarantineStatus.PROPOSED, now);
			record(q, "pause-failed", FLEET_HEALTH, ex.getMessage(), now);
			logger.warn("Could not quarantine '" + q.getWorker() + "': " + ex.getMessage());
			return;
		}
		q.paused(reason, now);
		record(q, "paused", by, reason, now);
		this.metrics.set(q.getMaster(), q.getWorker(), true);
		logger.info("Quarantined '" + q.getWorker() + "' of master '" + q.getMaster() + "' (proposal #" + q.getId()
				+ ", approved by " + by + "): paused in Buildbot");
		this.publisher.publishEvent(new WorkerQuarantined(QuarantineView.of(q)));
	}

	/**
	 * Unpauses a quarantined worker and puts it on probation. A worker someone else paused (its master gives
	 * another pause reason) is never unpaused.
	 *
	 * @throws QuarantineConflictException when it is not quarantined by fleet-health now
	 */
	void release(Quarantine q, String by, Instant now) {
		if (q.getStatus() != QuarantineStatus.QUARANTINED) {
			throw new QuarantineConflictException("Proposal #" + q.getId() + " is " + q.getStatus().phrase()
					+ ", not quarantined: there is nothing to release");
		}
		FleetWorker w = this.fleet.worker(q.getMaster(), q.getWorker()).orElse(null);
		FleetSource source = this.sources.get(q.getMaster());
		if (w != null && w.paused() && w.pauseReason() != null && !w.pauseReason().startsWith(PREFIX)) {
			throw new QuarantineConflictException("'" + q.getWorker() + "' is paused in Buildbot by someone else ("
					+ w.pauseReason() + "): fleet-health never unpauses it");
		}
		// Unpaused even where no poll has shown the pause yet: unpausing a worker that is not paused does nothing.
		if (w != null && source != null) {
			try {
				source.unpause(w.buildbotId(), "released by " + by);
			}
			catch (SourceException ex) {
				q.note("unpausing failed: " + ex.getMessage(), now);
				record(q, "release-failed", by, ex.getMessage(), now);
				logger.warn("Could not release '" + q.getWorker() + "': " + ex.getMessage());
				return;
			}
		}
		q.released(by, now);
		record(q, "released", by, "unpaused; on probation for its next builds", now);
		this.metrics.set(q.getMaster(), q.getWorker(), false);
		logger.info("Released '" + q.getWorker() + "' of master '" + q.getMaster() + "' from quarantine (by " + by
				+ "): on probation");
	}

	/** Closes a quarantine with a note, in its history as done by fleet-health. */
	void end(Quarantine q, QuarantineStatus status, String kind, String why, Instant now) {
		q.note(why, now);
		q.moveTo(status, now);
		record(q, kind, FLEET_HEALTH, why, now);
	}

	void record(Quarantine q, String kind, String by, String detail, Instant now) {
		this.events.save(new QuarantineEvent(q, kind, now, by, detail));
	}

}
