package org.fleethealth.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;
import org.fleethealth.health.WorkersClassified;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/** The fleet gauges as Prometheus sees them: state sets with zeros, counts, classes, and vanishing workers. */
class FleetMetricsTests {

	private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	private final FleetQueries fleet = mock(FleetQueries.class);

	private FleetMetrics metrics;

	@BeforeEach
	void setUp() {
		given(this.fleet.masterNames()).willReturn(List.of("lab"));
		given(this.fleet.masters()).willReturn(List.of());
		this.metrics = new FleetMetrics(this.registry, this.fleet);
	}

	private static WorkerReport worker(String name, WorkerState state, Set<String> classes) {
		return new WorkerReport("lab", name, state, Instant.ofEpochSecond(1_700_000_000),
				new WorkerReport.OwnerView("Ann", "ann@example.org"), Instant.ofEpochSecond(1_700_000_100), true, false,
				"3.7.0", "host", classes, List.of("evidence"), new WorkerReport.Counts(8, 1, 1, 0, 10, 0.1), null, null,
				null, null);
	}

	@Test
	void exportsAStateSetWithZerosAndCounts() {
		this.metrics.onClassified(new WorkersClassified("lab", List.of(worker("a", WorkerState.HEALTHY, Set.of("gcc")),
				worker("b", WorkerState.FLAKY_HOST, Set.of("gcc", "arm64")))));
		String scrape = this.registry.scrape();
		assertThat(scrape).contains("fleet_worker_state{master=\"lab\",state=\"healthy\",worker=\"a\"} 1")
			.contains("fleet_worker_state{master=\"lab\",state=\"offline\",worker=\"a\"} 0")
			.contains("fleet_worker_state{master=\"lab\",state=\"flaky-host\",worker=\"b\"} 1")
			.contains("fleet_workers{master=\"lab\",state=\"unknown\"} 0")
			.contains("fleet_workers{master=\"lab\",state=\"healthy\"} 1")
			.contains("fleet_worker_info{master=\"lab\",owner=\"Ann <ann@example.org>\",version=\"3.7.0\",worker=\"a\"} 1")
			.contains("fleet_worker_last_seen_timestamp_seconds{master=\"lab\",worker=\"a\"} 1.7000001E9")
			.contains("fleet_worker_state_since_timestamp_seconds{master=\"lab\",worker=\"a\"} 1.7E9")
			.contains("fleet_worker_builds{master=\"lab\",outcome=\"host_failure\",worker=\"b\"} 1")
			.contains("fleet_worker_host_failure_ratio{master=\"lab\",worker=\"b\"} 0.1")
			.contains("fleet_build_class_workers{class=\"gcc\",master=\"lab\",state=\"healthy\"} 1")
			.contains("fleet_build_class_workers{class=\"arm64\",master=\"lab\",state=\"healthy\"} 0")
			.contains("# HELP fleet_worker_state ");
		assertThat(scrape.lines().filter((l) -> l.startsWith("fleet_worker_state{"))).hasSize(10);
	}

	@Test
	void aVanishedWorkerLosesItsSeriesAndAChangedStateMovesTheOne() {
		this.metrics.onClassified(new WorkersClassified("lab",
				List.of(worker("a", WorkerState.HEALTHY, Set.of("gcc")), worker("b", WorkerState.HEALTHY, Set.of()))));
		this.metrics.onClassified(new WorkersClassified("lab", List.of(worker("a", WorkerState.OFFLINE, Set.of("gcc")))));
		String scrape = this.registry.scrape();
		assertThat(scrape).doesNotContain("worker=\"b\"")
			.contains("fleet_worker_state{master=\"lab\",state=\"offline\",worker=\"a\"} 1")
			.contains("fleet_worker_state{master=\"lab\",state=\"healthy\",worker=\"a\"} 0")
			.contains("fleet_build_class_workers{class=\"gcc\",master=\"lab\",state=\"healthy\"} 0");
	}

}
