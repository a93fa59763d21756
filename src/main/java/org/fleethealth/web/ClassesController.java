package org.fleethealth.web;

import java.util.List;

import org.fleethealth.fleet.FleetQueries;
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
		List<ClassCoverage> rows = ClassCoverage.current(this.fleet, this.reports);
		model.addAttribute("masterNames", this.fleet.masterNames());
		model.addAttribute("rows", rows);
		model.addAttribute("uncovered", rows.stream().filter(ClassCoverage::uncovered).map(ClassCoverage::name).toList());
		model.addAttribute("unclassed", ClassCoverage.unclassed(this.fleet, this.reports));
		return "classes";
	}

}
