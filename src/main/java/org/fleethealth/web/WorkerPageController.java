package org.fleethealth.web;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.MasterStatus;
import org.fleethealth.health.WorkerReports;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/** {@code /workers/{master}/{name}}: one worker's evidence, builds and history. */
@PageController
class WorkerPageController {

	private final WorkerReports reports;

	private final FleetQueries fleet;

	WorkerPageController(WorkerReports reports, FleetQueries fleet) {
		this.reports = reports;
		this.fleet = fleet;
	}

	@GetMapping("/workers/{master}/{name}")
	String worker(@PathVariable String master, @PathVariable String name, Model model) {
		model.addAttribute("w", this.reports.worker(master, name)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No worker '" + name + "' on master '" + master + "'")));
		model.addAttribute("masterUrl", this.fleet.master(master).map(MasterStatus::url).orElse(null));
		return "worker";
	}

}
