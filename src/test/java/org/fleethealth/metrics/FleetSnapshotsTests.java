package org.fleethealth.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet families are made anew only for the workers whose report shows something new (issue 18): the others keep
 * their data points, and the set is the same as one made from nothing.
 */
class FleetSnapshotsTests {

	private static final Instant T0 = Instant.ofEpochSecond(1_700_000_000);

	@Test
	void aWorkerWhoseReportShowsTheSameKeepsItsPointsAndAChangedOneGetsNewOnes() {
		FleetSnapshots snapshots = new FleetSnapshots();
		MetricSnapshots first = snapshots.build(Map.of("lab", List.of(report("a", WorkerState.HEALTHY, "3.7.0", 100),
				report("b", WorkerState.HEALTHY, "3.7.0", 100))), List.of(), List.of("lab"));
		// a: judged again with other evidence at another time, nothing the metrics show changed; b: now offline
		WorkerReport a = new WorkerReport("lab", "a", WorkerState.HEALTHY, T0, owner("a"), T0.plusSeconds(100), true,
				false, "3.7.0", "host", Set.of("linux"), List.of("other evidence"),
				new WorkerReport.Counts(100, 1, 1, 0, 102, 1.0 / 102), T0.plusSeconds(999), null, null, null);
		MetricSnapshots second = snapshots.build(
				Map.of("lab", List.of(report("b", WorkerState.OFFLINE, "3.7.0", 100), a)), List.of(), List.of("lab"));

		assertThat(point(second, "fleet_worker_state", "a", "healthy"))
			.isSameAs(point(first, "fleet_worker_state", "a", "healthy"));
		assertThat(point(second, "fleet_worker_state", "b", "healthy"))
			.isNotSameAs(point(first, "fleet_worker_state", "b", "healthy"));
		assertThat(value(second, "fleet_worker_state", "b", "offline")).isEqualTo(1.0);
		assertThat(value(second, "fleet_worker_state", "b", "healthy")).isEqualTo(0.0);
		assertThat(text(second)).isEqualTo(text(new FleetSnapshots().build(
				Map.of("lab", List.of(a, report("b", WorkerState.OFFLINE, "3.7.0", 100))), List.of(), List.of("lab"))));
	}

	@Test
	void aNewVersionOrOwnerGivesTheWorkerNewLabels() {
		FleetSnapshots snapshots = new FleetSnapshots();
		snapshots.build(Map.of("lab", List.of(report("a", WorkerState.HEALTHY, "3.7.0", 100))), List.of(),
				List.of("lab"));
		MetricSnapshots upgraded = snapshots.build(Map.of("lab", List.of(report("a", WorkerState.HEALTHY, "4.1.0", 100))),
				List.of(), List.of("lab"));

		assertThat(text(upgraded)).contains("version=\"4.1.0\"").doesNotContain("version=\"3.7.0\"");
	}

	/**
	 * Rounds of random changes to 300 workers of two masters (states, last seen, versions, owners, counts, workers
	 * added and removed, reports in any order): the set made from the last one is the set made from nothing, every
	 * round, in both exposition formats.
	 */
	@Test
	void incrementalSetsAreTheSetsMadeFromNothing() throws IOException {
		Random random = new Random(18);
		FleetSnapshots incremental = new FleetSnapshots();
		Map<String, WorkerReport> lab = new LinkedHashMap<>();
		Map<String, WorkerReport> staging = new LinkedHashMap<>();
		for (int i = 0; i < 200; i++) {
			lab.put("w" + i, report("w" + i, WorkerState.HEALTHY, "3.7.0", 100));
		}
		for (int i = 0; i < 100; i++) {
			staging.put("s" + i, report("s" + i, WorkerState.HEALTHY, "4.1.0", 100));
		}
		WorkerState[] states = WorkerState.values();
		for (int round = 0; round < 30; round++) {
			for (Map<String, WorkerReport> workers : List.of(lab, staging)) {
				List<String> names = new ArrayList<>(workers.keySet());
				for (int n = 0; n < 10; n++) {
					String name = names.get(random.nextInt(names.size()));
					WorkerReport w = workers.get(name);
					if (w == null) {
						continue; // removed this round
					}
					workers.put(name, switch (random.nextInt(5)) {
						case 0 -> report(name, states[random.nextInt(states.length)], w.version(), 100);
						case 1 -> w.withConnection(random.nextBoolean(), T0.plusSeconds(round * 60L));
						case 2 -> report(name, w.state(), "4." + random.nextInt(3) + ".0", 100);
						case 3 -> report(name, w.state(), w.version(), random.nextInt(20));
						default -> null;
					});
				}
				workers.values().removeIf((w) -> w == null);
				workers.put("new" + round, report("new" + round, WorkerState.UNKNOWN, null, 0));
			}
			Map<String, List<WorkerReport>> byMaster = Map.of("lab", shuffled(lab, random), "staging",
					shuffled(staging, random));

			MetricSnapshots made = incremental.build(byMaster, List.of(), List.of("lab", "staging"));

			assertThat(text(made)).isEqualTo(text(new FleetSnapshots().build(byMaster, List.of(),
					List.of("lab", "staging"))));
		}
	}

	@Test
	void aWorkerListedOnTwoMastersIsCountedOnceWhereItIsConnectedOrElseOnTheFirstConfigured() {
		// e serves staging (idle copy on lab), d is connected to neither, x is on lab only.
		Map<String, List<WorkerReport>> byMaster = Map.of("lab",
				List.of(on("lab", "e", WorkerState.HEALTHY, false, List.of("staging")),
						on("lab", "d", WorkerState.OFFLINE, false, List.of()),
						on("lab", "x", WorkerState.HEALTHY, true, List.of())),
				"staging", List.of(on("staging", "e", WorkerState.HEALTHY, true, List.of()),
						on("staging", "d", WorkerState.OFFLINE, false, List.of())));
		MetricSnapshots set = new FleetSnapshots(true).build(byMaster, List.of(), List.of("lab", "staging"));
		assertThat(total(set, "fleet_workers", "healthy") - total(set, "fleet_workers_counted_elsewhere", "healthy"))
			.as("e and x").isEqualTo(2.0);
		assertThat(total(set, "fleet_workers", "offline") - total(set, "fleet_workers_counted_elsewhere", "offline"))
			.as("d, counted on lab, configured first").isEqualTo(1.0);
		assertThat(text(set)).contains("fleet_workers_counted_elsewhere{master=\"lab\",state=\"healthy\"} 1")
			.contains("fleet_workers_counted_elsewhere{master=\"staging\",state=\"offline\"} 1")
			.contains("fleet_workers_counted_elsewhere{master=\"lab\",state=\"offline\"} 0")
			// connected_elsewhere keeps its own meaning: d is connected nowhere.
			.contains("fleet_workers_connected_elsewhere{master=\"staging\",state=\"offline\"} 0");

		// Configured the other way round, d is staging's to count.
		MetricSnapshots reversed = new FleetSnapshots(true).build(byMaster, List.of(), List.of("staging", "lab"));
		assertThat(text(reversed)).contains("fleet_workers_counted_elsewhere{master=\"lab\",state=\"offline\"} 1")
			.contains("fleet_workers_counted_elsewhere{master=\"staging\",state=\"offline\"} 0");

		// Where one name on two masters is two workers, each master counts its own.
		MetricSnapshots apart = new FleetSnapshots(false).build(byMaster, List.of(), List.of("lab", "staging"));
		assertThat(total(apart, "fleet_workers_counted_elsewhere", "healthy")
				+ total(apart, "fleet_workers_counted_elsewhere", "offline")).isZero();
	}

	private static WorkerReport on(String master, String name, WorkerState state, boolean connected,
			List<String> connectedElsewhere) {
		return new WorkerReport(master, name, state, T0, null, null, connected, false, "3.7.0", "host", Set.of("gcc"),
				List.of("evidence"), new WorkerReport.Counts(0, 0, 0, 0, 0, 0.0), null, null, null, null, true, null,
				List.of(), Set.of(), null, null, connectedElsewhere);
	}

	/** A family's values for one state, summed over masters (what the Grafana overview does). */
	private static double total(MetricSnapshots set, String family, String state) {
		double sum = 0;
		for (MetricSnapshot snapshot : set) {
			if (snapshot.getMetadata().getPrometheusName().equals(family)) {
				for (DataPointSnapshot p : snapshot.getDataPoints()) {
					if (state.equals(p.getLabels().get("state"))) {
						sum += ((io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot) p).getValue();
					}
				}
			}
		}
		return sum;
	}

	private static List<WorkerReport> shuffled(Map<String, WorkerReport> workers, Random random) {
		List<WorkerReport> list = new ArrayList<>(workers.values());
		Collections.shuffle(list, random);
		return list;
	}

	private static WorkerReport report(String name, WorkerState state, String version, int success) {
		return new WorkerReport(name.startsWith("s") ? "staging" : "lab", name, state, T0, owner(name),
				T0.plusSeconds(100), true, false, version, "host", Set.of("linux"), List.of("evidence"),
				new WorkerReport.Counts(success, 1, 1, 0, success + 2, 1.0 / (success + 2)), T0, null, null, null);
	}

	private static WorkerReport.OwnerView owner(String worker) {
		return new WorkerReport.OwnerView("Owner " + worker.length(), worker.length() + "@example.org");
	}

	private static DataPointSnapshot point(MetricSnapshots set, String family, String worker, String state) {
		for (MetricSnapshot snapshot : set) {
			if (snapshot.getMetadata().getPrometheusName().equals(family)) {
				for (DataPointSnapshot p : snapshot.getDataPoints()) {
					if (worker.equals(p.getLabels().get("worker")) && state.equals(p.getLabels().get("state"))) {
						return p;
					}
				}
			}
		}
		throw new AssertionError("No point of " + family + " for " + worker + " " + state);
	}

	private static double value(MetricSnapshots set, String family, String worker, String state) {
		return ((io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot) point(set, family,
				worker, state))
			.getValue();
	}

	private static String text(MetricSnapshots set) {
		ExpositionFormats formats = ExpositionFormats.init();
		StringBuilder both = new StringBuilder();
		for (var writer : List.of(formats.getPrometheusTextFormatWriter(), formats.getOpenMetricsTextFormatWriter())) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			try {
				writer.write(out, set);
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
			both.append(out.toString(StandardCharsets.UTF_8));
		}
		return both.toString();
	}

}
