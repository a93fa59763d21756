package org.fleethealth.health;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

/**
 * Each master's {@link Recall} in this instance, and how many workers its rounds judged and kept: the counters
 * {@code fleet_classification_judged_total{master,kind}} ({@code kind}: {@code full}, {@code changed}, {@code due})
 * and {@code fleet_classification_kept_total{master}} (workers whose verdict was not made again, as nothing it is
 * made of changed), and {@code fleet_classification_failures_total{master}}.
 */
@Component
class Recalls {

	private static final Log logger = LogFactory.getLog(Recalls.class);

	private final Map<String, Recall> recalls = new ConcurrentHashMap<>();

	private final ClassificationProperties properties;

	private final MeterRegistry meters;

	Recalls(ClassificationProperties properties, MeterRegistry meters) {
		this.properties = properties;
		this.meters = meters;
	}

	/** The master's last round in this instance (empty at first: the first round judges every worker). */
	Recall of(String master) {
		return this.recalls.computeIfAbsent(master, (m) -> new Recall(this.properties.fullInterval()));
	}

	/**
	 * The round failed and its verdicts were not stored: the master's next round judges every worker. Counted in
	 * {@code fleet_classification_failures_total{master}}: a service whose rounds keep failing (its database schema
	 * changed under it, say) keeps answering and polling, and only this says its verdicts stopped.
	 */
	void failed(String master) {
		Recall recall = this.recalls.get(master);
		if (recall != null) {
			recall.forget();
		}
		failures(master).increment();
	}

	/** Exports {@code fleet_classification_failures_total} of a watched master at 0 before its first failure. */
	void watch(String master) {
		failures(master);
	}

	private Counter failures(String master) {
		return Counter.builder("fleet.classification.failures")
			.description("Classification rounds that failed (nothing of them stored; the log says why)")
			.tag("master", master)
			.register(this.meters);
	}

	/** Counts a stored round's judged and kept workers. */
	void count(String master, Classifier.Judged judged) {
		if (logger.isDebugEnabled()) {
			logger.debug("Master '" + master + "': judged " + judged.judged() + ", kept " + judged.kept()
					+ ((judged.fullReason() != null) ? "; every worker judged: " + judged.fullReason() : "")
					+ (judged.windowKept() ? "; the window's builds as the last round left them" : ""));
		}
		judged.judged()
			.forEach((why, n) -> Counter.builder("fleet.classification.judged")
				.description("Workers judged by a classification round, by why: every worker (full), their verdict"
						+ " inputs changed (changed), or their verdict can change with time (due)")
				.tag("master", master)
				.tag("kind", why.label())
				.register(this.meters)
				.increment(n));
		Counter.builder("fleet.classification.kept")
			.description("Workers a classification round did not judge again: nothing their verdict is made of changed")
			.tag("master", master)
			.register(this.meters)
			.increment(judged.kept());
	}

}
