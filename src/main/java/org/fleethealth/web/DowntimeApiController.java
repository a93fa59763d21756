package org.fleethealth.web;

import java.util.List;

import org.fleethealth.health.Downtimes;
import org.fleethealth.health.WorkerReports;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/downtime}: the planned downtime windows ({@code fleet-health.downtime[N]}) in force now and the next
 * occurrence of each, soonest first: {@code window} (its index), {@code workers} (names or patterns), {@code start},
 * {@code end}, {@code inForce}, {@code reason}.
 */
@RestController
class DowntimeApiController {

	private final WorkerReports reports;

	DowntimeApiController(WorkerReports reports) {
		this.reports = reports;
	}

	@GetMapping("/api/downtime")
	List<Downtimes.Scheduled> downtime() {
		return this.reports.downtime();
	}

}
