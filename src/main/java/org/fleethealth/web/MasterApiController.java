package org.fleethealth.web;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.MasterState;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/masters}: each configured master, its last successful poll and its last error. */
@RestController
class MasterApiController {

	private final FleetQueries fleet;

	MasterApiController(FleetQueries fleet) {
		this.fleet = fleet;
	}

	@GetMapping("/api/masters")
	List<MasterView> masters() {
		return this.fleet.masterNames().stream().map((name) -> this.fleet.master(name)
			.map(MasterView::of)
			.orElseGet(() -> new MasterView(name, null, false, null, null, null, null, 0, null, null))).toList();
	}

	/** One master as the API shows it. */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record MasterView(String name, String url, boolean up, Instant lastSuccess, Instant lastWorkersPoll,
			Instant lastBuildsPoll, ErrorView lastError, int consecutiveFailures, Instant nextAttempt,
			Long buildCursor) {

		static MasterView of(MasterState m) {
			ErrorView error = (m.getLastError() != null)
					? new ErrorView(m.getLastErrorAt(), m.getLastErrorKind(), m.getLastError()) : null;
			return new MasterView(m.getName(), m.getUrl(), m.isUp(), m.getLastSuccessAt(), m.getWorkersPolledAt(),
					m.getBuildsPolledAt(), error, m.getConsecutiveFailures(), m.getNextAttemptAt(),
					m.getBuildCursor());
		}

	}

	/** The last error of a master's polls. */
	record ErrorView(Instant at, String kind, String message) {
	}

}
