package org.fleethealth.metrics;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import org.fleethealth.health.Outcome;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;

/**
 * One worker's data points in the fleet families, made from its report and kept while what they show of it stays the
 * same ({@link Shown}): a round that judged a hundred workers of 10,000 again makes a hundred workers' points, not
 * 130,000 (issue 18, "the metrics snapshot updates for the changed workers only").
 *
 * @param shown what the points show of the report
 * @param worker the labels {@code {master, worker}}
 * @param states {@code fleet_worker_state}, one point per state in {@link #STATES} order
 * @param info {@code fleet_worker_info}
 * @param seen {@code fleet_worker_last_seen_timestamp_seconds}, or {@code null} for a worker never seen
 * @param since {@code fleet_worker_state_since_timestamp_seconds}
 * @param connected {@code fleet_worker_connected}
 * @param outcomes {@code fleet_worker_builds}, one point per outcome in {@link #OUTCOMES} order
 * @param ratio {@code fleet_worker_host_failure_ratio}
 * @param stuck {@code fleet_worker_stuck_builds}
 */
record WorkerSeries(Shown shown, Labels worker, GaugeDataPointSnapshot[] states, InfoDataPointSnapshot info,
		GaugeDataPointSnapshot seen, GaugeDataPointSnapshot since, GaugeDataPointSnapshot connected,
		GaugeDataPointSnapshot[] outcomes, GaugeDataPointSnapshot ratio, GaugeDataPointSnapshot stuck) {

	/**
	 * The states in the order of their label values. A family's points are sorted by their labels when its snapshot is
	 * made; added state by state in this order (and worker by worker in name order), they come sorted already, and
	 * the sort is one pass.
	 */
	static final WorkerState[] STATES = Arrays.stream(WorkerState.values())
		.sorted(Comparator.comparing(WorkerState::label))
		.toArray(WorkerState[]::new);

	/** The outcomes exported, in the order of their label values (see {@link #STATES}). */
	static final Outcome[] OUTCOMES = Arrays
		.stream(new Outcome[] { Outcome.SUCCESS, Outcome.FAILURE, Outcome.HOST_FAILURE, Outcome.CODE_BREAK,
				Outcome.INTERRUPTED })
		.sorted(Comparator.comparing(Outcome::label))
		.toArray(Outcome[]::new);

	/**
	 * What the fleet families show of a report: two reports equal in these give the same points. The report's other
	 * parts (evidence, rules, when it was judged) are not exported; its classes go into {@code fleet_build_class_workers},
	 * which is counted anew every time.
	 */
	record Shown(WorkerState state, Instant since, Instant lastSeen, boolean connected, WorkerReport.Counts builds,
			String ownerName, String ownerEmail, String version) {

		static Shown of(WorkerReport w) {
			return new Shown(w.state(), w.since(), w.lastSeen(), w.connected(), w.builds(),
					(w.owner() != null) ? w.owner().name() : null, (w.owner() != null) ? w.owner().email() : null,
					w.version());
		}

		/** Whether the labels of {@code fleet_worker_info} are the same. */
		boolean sameInfo(Shown other) {
			return Objects.equals(this.ownerName, other.ownerName) && Objects.equals(this.ownerEmail, other.ownerEmail)
					&& Objects.equals(this.version, other.version);
		}

	}

	/**
	 * The worker's series: {@code previous} itself while it shows the report the same, else new points (with
	 * {@code previous}'s labels while its owner and version are the same).
	 *
	 * @param previous the worker's series in the last set, or {@code null}
	 */
	static WorkerSeries of(WorkerSeries previous, String master, WorkerReport w) {
		Shown shown = Shown.of(w);
		if (previous != null && previous.shown.equals(shown)) {
			return previous;
		}
		boolean sameLabels = previous != null && previous.shown.sameInfo(shown);
		Labels worker = sameLabels ? previous.worker : Labels.of("master", master, "worker", w.name());
		GaugeDataPointSnapshot[] states = new GaugeDataPointSnapshot[STATES.length];
		for (int i = 0; i < STATES.length; i++) {
			Labels labels = sameLabels ? previous.states[i].getLabels()
					: Labels.of("master", master, "state", STATES[i].label(), "worker", w.name());
			states[i] = point(labels, (w.state() == STATES[i]) ? 1 : 0);
		}
		GaugeDataPointSnapshot[] outcomes = new GaugeDataPointSnapshot[OUTCOMES.length];
		for (int i = 0; i < OUTCOMES.length; i++) {
			Labels labels = sameLabels ? previous.outcomes[i].getLabels()
					: Labels.of("master", master, "outcome", OUTCOMES[i].label(), "worker", w.name());
			outcomes[i] = point(labels, count(w.builds(), OUTCOMES[i]));
		}
		InfoDataPointSnapshot info = sameLabels ? previous.info : new InfoDataPointSnapshot(
				Labels.of("master", master, "owner", owner(w), "version", nullToEmpty(w.version()), "worker", w.name()));
		return new WorkerSeries(shown, worker, states, info,
				(w.lastSeen() != null) ? point(worker, seconds(w.lastSeen())) : null, point(worker, seconds(w.since())),
				point(worker, w.connected() ? 1 : 0), outcomes, point(worker, w.builds().hostFailureRatio()),
				point(worker, w.builds().stuck()));
	}

	private static int count(WorkerReport.Counts builds, Outcome outcome) {
		return switch (outcome) {
			case SUCCESS -> builds.success();
			case FAILURE -> builds.failure();
			case HOST_FAILURE -> builds.hostFailure();
			case CODE_BREAK -> builds.codeBreak();
			case INTERRUPTED -> builds.interrupted();
			default -> throw new IllegalArgumentException("Not exported: " + outcome);
		};
	}

	private static GaugeDataPointSnapshot point(Labels labels, double value) {
		return new GaugeDataPointSnapshot(value, labels, null);
	}

	private static double seconds(Instant instant) {
		return instant.toEpochMilli() / 1000.0;
	}

	private static String owner(WorkerReport w) {
		if (w.owner() == null) {
			return "";
		}
		if (w.owner().email() != null) {
			return (w.owner().name() != null) ? w.owner().name() + " <" + w.owner().email() + ">" : w.owner().email();
		}
		return nullToEmpty(w.owner().name());
	}

	private static String nullToEmpty(String s) {
		return (s != null) ? s : "";
	}

}
