package org.fleethealth.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.MasterState;
import org.fleethealth.fleet.PollKindState;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/masters}: each configured master, its last successful poll, its last error and each kind of poll. */
@RestController
class MasterApiController {

	private final FleetQueries fleet;

	MasterApiController(FleetQueries fleet) {
		this.fleet = fleet;
	}

	@GetMapping("/api/masters")
	List<MasterView> masters() {
		return this.fleet.masterNames().stream().map((name) -> {
			Map<String, PollView> polls = new LinkedHashMap<>();
			this.fleet.polls(name).forEach((p) -> polls.put(p.kind().label(), PollView.of(p)));
			return this.fleet.master(name)
				.map((m) -> MasterView.of(m, polls))
				.orElseGet(() -> new MasterView(name, null, false, null, null, null, null, 0, null, null, polls));
		}).toList();
	}

	/**
	 * One master as the API shows it. {@code consecutiveFailures} and {@code nextAttempt} are the master's: failed
	 * polls of any kind in a row, and when the last one that failed is tried again; {@code polls} has them per kind.
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record MasterView(String name, String url, boolean up, Instant lastSuccess, Instant lastWorkersPoll,
			Instant lastBuildsPoll, ErrorView lastError, int consecutiveFailures, Instant nextAttempt,
			Long buildCursor, Map<String, PollView> polls) {

		static MasterView of(MasterState m, Map<String, PollView> polls) {
			ErrorView error = (m.getLastError() != null)
					? new ErrorView(m.getLastErrorAt(), m.getLastErrorKind(), m.getLastError()) : null;
			return new MasterView(m.getName(), m.getUrl(), m.isUp(), m.getLastSuccessAt(), m.getWorkersPolledAt(),
					m.getBuildsPolledAt(), error, m.getConsecutiveFailures(), m.getNextAttemptAt(),
					m.getBuildCursor(), polls);
		}

	}

	/** One kind of poll of a master: when it was last tried and succeeded, and its own back-off. */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record PollView(Instant lastAttempt, Instant lastSuccess, int consecutiveFailures, Instant nextAttempt) {

		static PollView of(PollKindState p) {
			return new PollView(p.lastAttemptAt(), p.lastSuccessAt(), p.consecutiveFailures(), p.nextAttemptAt());
		}

	}

	/** The last error of a master's polls. */
	record ErrorView(Instant at, String kind, String message) {
	}

}
