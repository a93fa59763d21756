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
		// Workers whose builders carry no class tag are in no row: named below the table, or "every class has a
		// healthy worker" reads as every worker accounted for (a CPython-shaped trial's only flaky host was one).
		model.addAttribute("unclassed", this.fleet.masterNames()
			.stream()
			.flatMap((m) -> this.reports.workers(m).stream())
			.filter((w) -> w.classes().isEmpty())
			.sorted(WorkerReports.bySeverity())
			.toList());
		return "classes";
	}

}
