package org.fleethealth.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Build-class coverage across LLVM's production and staging masters, which list the same workers: each worker
 * serves the class where it is connected. A new user's finding: with every x86-64 worker broken on production, the
 * idle copies on staging read healthy, so the class was "covered", 3 healthy of 6.
 */
class ClassCoverageTests {

	private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

	private static WorkerReport worker(String master, String name, WorkerState state, boolean connected,
			List<String> connectedElsewhere) {
		return new WorkerReport(master, name, state, NOW, null, NOW, connected, false, "3.7.0", "host",
				Set.of("x86-64"), List.of("evidence"), new WorkerReport.Counts(5, 0, 0, 0, 5, 0.0), NOW, null, null,
				null, true, null, List.of(), Set.of(), null, null, connectedElsewhere);
	}

	private static List<ClassCoverage> coverage(List<WorkerReport> production, List<WorkerReport> staging) {
		Map<String, List<WorkerReport>> byMaster = new LinkedHashMap<>();
		byMaster.put("lab", production);
		byMaster.put("staging", staging);
		return ClassCoverage.of(List.of("lab", "staging"), byMaster);
	}

	@Test
	void aWorkerServesTheClassWhereItIsConnectedAndCountsOnce() {
		List<WorkerReport> production = List.of(
				worker("lab", "alice", WorkerState.FAILING_BUILD, true, List.of()),
				worker("lab", "grace", WorkerState.FLAKY_HOST, true, List.of()),
				worker("lab", "bob", WorkerState.FLAKY_HOST, true, List.of()));
		List<WorkerReport> staging = List.of(
				worker("staging", "alice", WorkerState.HEALTHY, false, List.of("lab")),
				worker("staging", "grace", WorkerState.HEALTHY, false, List.of("lab")),
				worker("staging", "bob", WorkerState.HEALTHY, false, List.of("lab")));
		ClassCoverage x86 = coverage(production, staging).get(0);
		assertThat(x86.uncovered()).isTrue();
		assertThat(x86.healthy()).isZero();
		assertThat(x86.total()).isEqualTo(3);
		assertThat(x86.cells().get("lab").coverage()).isEqualTo("uncovered");
		assertThat(x86.cells().get("staging").coverage()).isEqualTo("elsewhere");
		assertThat(x86.cells().get("staging").total()).isZero();
		assertThat(x86.cells().get("staging").workers()).hasSize(3);
	}

	@Test
	void aWorkerMovedToStagingCoversTheClassThere() {
		List<WorkerReport> production = List.of(
				worker("lab", "alice", WorkerState.HEALTHY, true, List.of()),
				worker("lab", "bob", WorkerState.HEALTHY, false, List.of("staging")));
		List<WorkerReport> staging = List.of(
				worker("staging", "alice", WorkerState.HEALTHY, false, List.of("lab")),
				worker("staging", "bob", WorkerState.HEALTHY, true, List.of()));
		ClassCoverage x86 = coverage(production, staging).get(0);
		assertThat(x86.uncovered()).isFalse();
		assertThat(x86.healthy()).isEqualTo(2);
		assertThat(x86.total()).isEqualTo(2);
		assertThat(x86.cells().get("lab").coverage()).isEqualTo("covered");
		assertThat(x86.cells().get("lab").total()).isEqualTo(1);
		assertThat(x86.cells().get("staging").coverage()).isEqualTo("covered");
		// A worker connected nowhere counts where it is configured, as before: offline on both.
		ClassCoverage gone = coverage(List.of(worker("lab", "dave", WorkerState.OFFLINE, false, List.of())),
				List.of(worker("staging", "dave", WorkerState.OFFLINE, false, List.of()))).get(0);
		assertThat(gone.uncovered()).isTrue();
		assertThat(gone.total()).isEqualTo(1);
		assertThat(gone.cells().get("staging").coverage()).isEqualTo("uncovered");
	}

}
