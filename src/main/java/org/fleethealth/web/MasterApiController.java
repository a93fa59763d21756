package org.fleethealth.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.MasterInterruption;
import org.fleethealth.fleet.MasterStatus;
import org.fleethealth.fleet.PollKindState;
import org.fleethealth.fleet.StreamStatus;
import org.fleethealth.health.WorkerReports;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/masters}: each configured master, its last successful poll and its last error, each kind of poll
 * with its own back-off, and what happened to it as a whole within the classification window (restarts,
 * outages, mass disconnects): builds it ended then, and workers that dropped then, count against no worker.
 */
@RestController
class MasterApiController {

	private final FleetQueries fleet;

	private final WorkerReports reports;

	MasterApiController(FleetQueries fleet, WorkerReports reports) {
		this.fleet = fleet;
		this.reports = reports;
	}

	@GetMapping("/api/masters")
	List<MasterView> masters() {
		return this.fleet.masterNames().stream().map((name) -> {
			List<MasterInterruption> interruptions = this.reports.interruptions(name);
			Map<String, PollView> polls = new LinkedHashMap<>();
			this.fleet.polls(name).forEach((p) -> polls.put(p.kind().label(), PollView.of(p)));
			return this.fleet.master(name)
				.map((m) -> MasterView.of(m, polls, interruptions, this.fleet.stream(name).orElse(null)))
				.orElseGet(() -> new MasterView(name, null, false, null, null, null, null, 0, null, null, polls,
						RestartsView.of(interruptions), interruptions, this.fleet.stream(name).orElse(null)));
		}).toList();
	}

	/**
	 * One master as the API shows it. {@code consecutiveFailures} and {@code nextAttempt} are the master's: failed
	 * polls of any kind in a row, and when the last one that failed is tried again.
	 *
	 * @param polls each kind of poll with its own back-off
	 * @param restarts its restarts within the classification window, and the last one
	 * @param interruptions its restarts, outages (not answering) and mass disconnects within the window, oldest first
	 * @param stream its live event stream ({@code state}, {@code since}, {@code reason}), {@code null} where it has
	 * none
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record MasterView(String name, String url, boolean up, Instant lastSuccess, Instant lastWorkersPoll,
			Instant lastBuildsPoll, ErrorView lastError, int consecutiveFailures, Instant nextAttempt,
			Long buildCursor, Map<String, PollView> polls, RestartsView restarts,
			List<MasterInterruption> interruptions, StreamStatus stream) {

		static MasterView of(MasterStatus m, Map<String, PollView> polls, List<MasterInterruption> interruptions,
				StreamStatus stream) {
			ErrorView error = (m.lastError() != null)
					? new ErrorView(m.lastErrorAt(), m.lastErrorKind(), m.lastError()) : null;
			return new MasterView(m.name(), m.url(), m.up(), m.lastSuccessAt(), m.workersPolledAt(),
					m.buildsPolledAt(), error, m.consecutiveFailures(), m.nextAttemptAt(),
					m.buildCursor(), polls, RestartsView.of(interruptions), interruptions, stream);
		}

	}

	/** One kind of poll of a master: when it was last tried and succeeded, and its own back-off. */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record PollView(Instant lastAttempt, Instant lastSuccess, int consecutiveFailures, Instant nextAttempt) {

		static PollView of(PollKindState p) {
			return new PollView(p.lastAttemptAt(), p.lastSuccessAt(), p.consecutiveFailures(), p.nextAttemptAt());
		}

	}

	/**
	 * A master's restarts within the classification window.
	 *
	 * @param inWindow how many
	 * @param last when the last one ended (the master was up again), or began if it has not ended; {@code null}
	 * without any
	 */
	record RestartsView(int inWindow, Instant last) {

		static RestartsView of(List<MasterInterruption> interruptions) {
			List<MasterInterruption> restarts = interruptions.stream()
				.filter((i) -> i.kind() == MasterInterruption.Kind.RESTART)
				.toList();
			Instant last = restarts.isEmpty() ? null
					: restarts.stream()
						.map((r) -> (r.to() != null) ? r.to() : r.from())
						.max(Instant::compareTo)
						.orElse(null);
			return new RestartsView(restarts.size(), last);
		}

	}

	/** The last error of a master's polls. */
	record ErrorView(Instant at, String kind, String message) {
	}

}
