package org.fleethealth.web;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.MasterInterruption;
import org.fleethealth.fleet.MasterState;
import org.fleethealth.health.WorkerReports;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/masters}: each configured master, its last successful poll and its last error, and what happened to
 * it as a whole within the classification window (restarts, outages, mass disconnects): builds it ended then, and
 * workers that dropped then, count against no worker.
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
			return this.fleet.master(name)
				.map((m) -> MasterView.of(m, interruptions))
				.orElseGet(() -> new MasterView(name, null, false, null, null, null, null, 0, null, null,
						RestartsView.of(interruptions), interruptions));
		}).toList();
	}

	/**
	 * One master as the API shows it.
	 *
	 * @param restarts its restarts within the classification window, and the last one
	 * @param interruptions its restarts, outages (not answering) and mass disconnects within the window, oldest first
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record MasterView(String name, String url, boolean up, Instant lastSuccess, Instant lastWorkersPoll,
			Instant lastBuildsPoll, ErrorView lastError, int consecutiveFailures, Instant nextAttempt,
			Long buildCursor, RestartsView restarts, List<MasterInterruption> interruptions) {

		static MasterView of(MasterState m, List<MasterInterruption> interruptions) {
			ErrorView error = (m.getLastError() != null)
					? new ErrorView(m.getLastErrorAt(), m.getLastErrorKind(), m.getLastError()) : null;
			return new MasterView(m.getName(), m.getUrl(), m.isUp(), m.getLastSuccessAt(), m.getWorkersPolledAt(),
					m.getBuildsPolledAt(), error, m.getConsecutiveFailures(), m.getNextAttemptAt(),
					m.getBuildCursor(), RestartsView.of(interruptions), interruptions);
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
