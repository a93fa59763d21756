package org.fleethealth.health;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * What {@link WorkersClassified} announced, for its listeners: the reports of the round, kept in memory by the
 * instance that made them, so metrics, the release gate and pruning do not each read the fleet again. A
 * listener run later (retried after a failure or a restart) gets the stored judgements instead.
 */
@Component
public class Classifications {

	private final Map<String, Classification> latest = new ConcurrentHashMap<>();

	private final WorkerReports reports;

	Classifications(WorkerReports reports) {
		this.reports = reports;
	}

	/**
	 * The round the event announced, or a newer one of the same master: from memory when this instance made or
	 * loaded it, else the judgements stored now (then without build judgements).
	 */
	public Classification of(WorkersClassified event) {
		Classification held = this.latest.get(event.master());
		if (held != null && !held.classifiedAt().isBefore(event.classifiedAt())) {
			return held;
		}
		return new Classification(event.master(), event.classifiedAt(), this.reports.workers(event.master()));
	}

	/** Keeps a round for the listeners of the event about to be published. */
	void hold(Classification classification) {
		this.latest.merge(classification.master(), classification,
				(old, next) -> next.classifiedAt().isBefore(old.classifiedAt()) ? old : next);
	}

}
