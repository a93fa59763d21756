package org.fleethealth.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/classes}: the {@code /classes} page as JSON. Each build class (from the builders' tags) with, per
 * watched master, how many of the workers serving it are healthy and which they are; classes no healthy worker
 * serves anywhere come first. The same counts are the {@code fleet_build_class_workers} gauge.
 */
@RestController
class ClassesApiController {

	private final FleetQueries fleet;

	private final WorkerReports reports;

	ClassesApiController(FleetQueries fleet, WorkerReports reports) {
		this.fleet = fleet;
		this.reports = reports;
	}

	@GetMapping("/api/classes")
	List<ClassView> classes() {
		return ClassCoverage.current(this.fleet, this.reports).stream().map(ClassView::of).toList();
	}

	/**
	 * {@code /api/classes/unclassed}: the workers in no build class, which {@code /api/classes} leaves out, as the
	 * {@code /classes} page names them below its table: each worker whose builders carry no class tag, per master,
	 * the worst first (an empty list when every worker has a class).
	 */
	@GetMapping("/api/classes/unclassed")
	List<UnclassedWorker> unclassed() {
		return ClassCoverage.unclassed(this.fleet, this.reports).stream().map(UnclassedWorker::of).toList();
	}

	/**
	 * One build class.
	 *
	 * @param name the class, as the builders' tags name it
	 * @param uncovered whether no watched master has a healthy worker for it
	 * @param healthy healthy workers serving it, all masters
	 * @param total workers serving it, all masters
	 * @param masters per watched master, in configuration order (every master, with none where it has no worker)
	 */
	record ClassView(String name, boolean uncovered, int healthy, int total, Map<String, CellView> masters) {

		static ClassView of(ClassCoverage row) {
			Map<String, CellView> masters = new LinkedHashMap<>();
			row.cells().forEach((master, cell) -> masters.put(master, CellView.of(cell)));
			return new ClassView(row.name(), row.uncovered(), row.healthy(), row.total(), masters);
		}

	}

	/**
	 * The workers of one master serving a class.
	 *
	 * @param coverage {@code none} (no worker), {@code uncovered} (no healthy one), {@code partial} or
	 * {@code covered}
	 * @param workers the workers, the worst first
	 */
	record CellView(String coverage, int healthy, int total, List<WorkerRef> workers) {

		static CellView of(ClassCoverage.Cell cell) {
			return new CellView(cell.coverage(), cell.healthy(), cell.total(),
					cell.workers().stream().map(WorkerRef::of).toList());
		}

	}

	/**
	 * A worker in no build class: its full report is {@code /api/workers/{master}/{name}}.
	 *
	 * @param master the watched master that lists it (a worker on two masters is an entry per master)
	 */
	record UnclassedWorker(String master, String name, WorkerState state) {

		static UnclassedWorker of(WorkerReport report) {
			return new UnclassedWorker(report.master(), report.name(), report.state());
		}

	}

	/** A worker serving a class: its full report is {@code /api/workers/{master}/{name}}. */
	record WorkerRef(String name, WorkerState state) {

		static WorkerRef of(WorkerReport report) {
			return new WorkerRef(report.name(), report.state());
		}

	}

}
