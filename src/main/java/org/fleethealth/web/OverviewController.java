package org.fleethealth.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.mail.OutboxReader;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/** {@code /}: each master's state counts and the workers that need attention, filtered and sorted by GET. */
@PageController
class OverviewController {

	private final FleetQueries fleet;

	private final WorkerReports reports;

	private final OutboxReader outbox;

	OverviewController(FleetQueries fleet, WorkerReports reports, OutboxReader outbox) {
		this.fleet = fleet;
		this.reports = reports;
		this.outbox = outbox;
	}

	@GetMapping("/")
	String overview(@RequestParam(required = false) StateChoice state, @RequestParam(required = false) String master,
			@RequestParam(name = "class", required = false) String buildClass,
			@RequestParam(required = false) String sort, Model model) {
		OverviewFilter filter = new OverviewFilter(state, master, buildClass, sort);
		List<String> masters = this.fleet.masterNames();
		try {
			filter.order();
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
		if (filter.master() != null && !masters.contains(filter.master())) {
			// As on the API: a master is a thing that is there or not.
			throw WatchedMaster.unknown(filter.master(), masters);
		}
		List<MasterPanel> panels = new ArrayList<>();
		List<WorkerReport> all = new ArrayList<>();
		for (String name : masters) {
			List<WorkerReport> workers = this.reports.workers(name);
			all.addAll(workers);
			panels.add(MasterPanel.of(name, this.fleet.master(name).orElse(null), workers));
		}
		Set<String> classes = new TreeSet<>();
		all.forEach((w) -> classes.addAll(w.classes()));
		model.addAttribute("filter", filter);
		model.addAttribute("masters", panels);
		model.addAttribute("masterNames", masters);
		model.addAttribute("classes", classes);
		model.addAttribute("classesLower", classes.stream().map((c) -> c.toLowerCase(java.util.Locale.ROOT)).toList());
		model.addAttribute("workers", all.stream().filter(filter::matches).sorted(filter.order()).toList());
		// Out of the rows the master filter leaves: "2 of 14" on one master of 7 workers read as 12 hidden.
		model.addAttribute("total", all.stream().filter((w) -> filter.master() == null || w.master().equals(filter.master()))
			.count());
		// Owner mail that does not get through showed only in a counter and the log (a trial's finding).
		model.addAttribute("mailTrouble", this.outbox.trouble().orElse(null));
		model.addAttribute("acrossMasters", (filter.master() == null && masters.size() > 1) ? masters.size() : 0);
		return "overview";
	}

}
