package org.fleethealth.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.MasterStatus;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.pruning.SharedWorkers;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;

/** {@code /workers/{master}/{name}}: one worker's evidence, builds and history. */
@PageController
class WorkerPageController {

	private final WorkerReports reports;

	private final FleetQueries fleet;

	private final SharedWorkers shared;

	WorkerPageController(WorkerReports reports, FleetQueries fleet, SharedWorkers shared) {
		this.reports = reports;
		this.fleet = fleet;
		this.shared = shared;
	}

	/** A worker's link cut after the master: the overview of that master. */
	@GetMapping({ "/workers/{master}", "/workers/{master}/" })
	String workersOf(@PathVariable String master) {
		WatchedMaster.of(master, this.fleet.masterNames());
		return "redirect:" + UriComponentsBuilder.fromPath("/").queryParam("master", master).encode().build().toUriString();
	}

	@GetMapping("/workers/{master}/{name}")
	String worker(@PathVariable String master, @PathVariable String name, Model model) {
		WatchedMaster.of(master, this.fleet.masterNames());
		model.addAttribute("w", this.reports.worker(master, name)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No worker '" + name + "' on master '" + master + "'")));
		model.addAttribute("masterUrl", this.fleet.master(master).map(MasterStatus::url).orElse(null));
		// The same worker on the other watched masters (LLVM's production and staging): a trial's pages never said.
		List<String> alsoOn = this.shared.masters(master, name).stream().skip(1).toList();
		model.addAttribute("alsoOn", alsoOn);
		// Each master judges the worker on its own builds and connection: a staging master where it never builds
		// reads it healthy while production reads it flaky-host, and its page there did not say so (a trial).
		Map<String, WorkerState> statesThere = new LinkedHashMap<>();
		alsoOn.forEach((m) -> this.reports.worker(m, name).ifPresent((r) -> statesThere.put(m, r.state())));
		model.addAttribute("alsoOnStates", statesThere);
		return "worker";
	}

}
