package org.fleethealth.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /classes}: build-class coverage, class by master, with the classes no healthy worker serves first. */
@PageController
class ClassesController {

	private final FleetQueries fleet;

	private final WorkerReports reports;

	ClassesController(FleetQueries fleet, WorkerReports reports) {
		this.fleet = fleet;
		this.reports = reports;
	}

	@GetMapping("/classes")
	String classes(Model model) {
		List<String> masters = this.fleet.masterNames();
		Map<String, List<WorkerReport>> workers = new LinkedHashMap<>();
		masters.forEach((m) -> workers.put(m, this.reports.workers(m)));
		List<ClassCoverage> rows = ClassCoverage.of(masters, workers);
		model.addAttribute("masterNames", masters);
		model.addAttribute("rows", rows);
		model.addAttribute("uncovered", rows.stream().filter(ClassCoverage::uncovered).map(ClassCoverage::name).toList());
		return "classes";
	}

}
