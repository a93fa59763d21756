package org.fleethealth.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;

/**
 * One build class across the masters: per master how many of its workers are healthy, and which they are.
 *
 * @param name the build class
 * @param cells per master, in configuration order (masters without a worker of the class have an empty cell)
 */
public record ClassCoverage(String name, Map<String, Cell> cells) {

	/** The matrix of every watched master as judged now (the {@code /classes} page and {@code /api/classes}). */
	static List<ClassCoverage> current(FleetQueries fleet, WorkerReports reports) {
		List<String> masters = fleet.masterNames();
		Map<String, List<WorkerReport>> workers = new LinkedHashMap<>();
		masters.forEach((m) -> workers.put(m, reports.workers(m)));
		return of(masters, workers);
	}

	/** Builds the matrix from every master's workers: classes with no healthy worker anywhere first. */
	static List<ClassCoverage> of(List<String> masters, Map<String, List<WorkerReport>> workersByMaster) {
		Map<String, Map<String, List<WorkerReport>>> byClass = new TreeMap<>();
		workersByMaster.forEach((master, workers) -> workers.forEach((w) -> w.classes()
			.forEach((c) -> byClass.computeIfAbsent(c, (k) -> new LinkedHashMap<>())
				.computeIfAbsent(master, (k) -> new ArrayList<>())
				.add(w))));
		List<ClassCoverage> rows = new ArrayList<>();
		byClass.forEach((c, perMaster) -> {
			Map<String, Cell> cells = new LinkedHashMap<>();
			for (String master : masters) {
				List<WorkerReport> serving = new ArrayList<>(perMaster.getOrDefault(master, List.of()));
				serving.sort(WorkerReports.bySeverity());
				cells.put(master, new Cell(serving));
			}
			rows.add(new ClassCoverage(c, cells));
		});
		rows.sort(Comparator.comparing((ClassCoverage r) -> !r.uncovered()).thenComparing(ClassCoverage::name));
		return rows;
	}

	/** Whether no master has a healthy worker for this class. */
	public boolean uncovered() {
		return this.cells.values().stream().mapToInt(Cell::healthy).sum() == 0;
	}

	public int healthy() {
		return this.cells.values().stream().mapToInt(Cell::healthy).sum();
	}

	public int total() {
		return this.cells.values().stream().mapToInt(Cell::total).sum();
	}

	/** The workers of one master serving the class. */
	public record Cell(List<WorkerReport> workers) {

		public int healthy() {
			return (int) this.workers.stream().filter((w) -> w.state() == WorkerState.HEALTHY).count();
		}

		public int total() {
			return this.workers.size();
		}

		/** {@code none} (no worker), {@code uncovered} (no healthy one), {@code partial} or {@code covered}. */
		public String coverage() {
			if (total() == 0) {
				return "none";
			}
			if (healthy() == 0) {
				return "uncovered";
			}
			return (healthy() < total()) ? "partial" : "covered";
		}

	}

}
