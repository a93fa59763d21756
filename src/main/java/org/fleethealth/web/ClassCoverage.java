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

	/**
	 * The workers of every watched master whose builders carry no class tag, the worst first: they are in no row of
	 * the matrix (a CPython-shaped trial's only flaky host was one, and "every class has a healthy worker" read as
	 * every worker accounted for).
	 */
	static List<WorkerReport> unclassed(FleetQueries fleet, WorkerReports reports) {
		return fleet.masterNames()
			.stream()
			.flatMap((m) -> reports.workers(m).stream())
			.filter((w) -> w.classes().isEmpty())
			.sorted(WorkerReports.bySeverity())
			.toList();
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
		return healthy() == 0;
	}

	/**
	 * The workers healthy where they are connected (or, if connected nowhere, where they are configured), each
	 * counted once however many masters list it.
	 */
	public int healthy() {
		return (int) this.cells.values()
			.stream()
			.flatMap((c) -> c.here().stream())
			.filter((w) -> w.state() == WorkerState.HEALTHY)
			.map(WorkerReport::name)
			.distinct()
			.count();
	}

	/** The workers of the class, each counted once however many masters list it (production and staging). */
	public int total() {
		return (int) this.cells.values()
			.stream()
			.flatMap((c) -> c.workers().stream())
			.map(WorkerReport::name)
			.distinct()
			.count();
	}

	/**
	 * The workers of one master serving the class. One configured on several masters (LLVM's production and
	 * staging) is listed on each, but serves only the one it is connected to: elsewhere it reads healthy while idle
	 * there, and counted there it made a class whose every worker was broken read "covered".
	 */
	public record Cell(List<WorkerReport> workers) {

		/** Those not connected here because they are connected to another watched master under the same name. */
		static boolean away(WorkerReport w) {
			return !w.connected() && !w.connectedElsewhere().isEmpty();
		}

		/** Those that can build the class on this master now, or would if connected: all but those away. */
		List<WorkerReport> here() {
			return this.workers.stream().filter((w) -> !away(w)).toList();
		}

		public int healthy() {
			return (int) here().stream().filter((w) -> w.state() == WorkerState.HEALTHY).count();
		}

		/** How many serve the class on this master: those connected to another master are not counted. */
		public int total() {
			return here().size();
		}

		/**
		 * {@code none} (no worker), {@code elsewhere} (every one of them is connected to another watched master),
		 * {@code uncovered} (no healthy one), {@code partial} or {@code covered}.
		 */
		public String coverage() {
			if (this.workers.isEmpty()) {
				return "none";
			}
			if (total() == 0) {
				return "elsewhere";
			}
			if (healthy() == 0) {
				return "uncovered";
			}
			return (healthy() < total()) ? "partial" : "covered";
		}

	}

}
