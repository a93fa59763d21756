package org.fleethealth.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.fleethealth.fleet.FleetHeard;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.MasterStatus;
import org.fleethealth.health.Classification;
import org.fleethealth.health.ClassificationProperties;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.core.io.Resource;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The fleet gauges as Prometheus sees them, through the registry and writers of {@code /actuator/prometheus}:
 * state sets with zeros, counts, classes, vanishing workers, and scrapes that touch no database and never see
 * half of a new set.
 */
class FleetMetricsTests {

	private final PrometheusRegistry prometheus = new PrometheusRegistry();

	// Micrometer's meters share the registry, as in the service.
	private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
			this.prometheus, Clock.SYSTEM);

	// Spring Boot's own endpoint, for comparison.
	private final PrometheusScrapeEndpoint plain = new PrometheusScrapeEndpoint(this.prometheus, null);

	// What the service serves over HTTP: what the tests scrape.
	private FleetScrapeWebExtension endpoint;

	private final FleetQueries fleet = mock(FleetQueries.class);

	private FleetMetrics metrics;

	@BeforeEach
	void setUp() {
		Instant polled = Instant.ofEpochSecond(1_700_000_200);
		MasterStatus lab = new MasterStatus("lab", "http://127.0.0.1:8010/", true, polled, polled, polled, polled, null,
				null, null, 0, null, 1L);
		MasterStatus forgotten = new MasterStatus("forgotten", "http://127.0.0.1:8011/", false, null, null, null, null,
				null, null, null, 0, null, null);
		given(this.fleet.masterNames()).willReturn(List.of("lab"));
		given(this.fleet.masters()).willReturn(List.of(forgotten, lab));
		this.metrics = new FleetMetrics(provider(this.prometheus), this.fleet, null, null, ClassificationProperties.defaults());
		this.endpoint = new FleetScrapeWebExtension(this.plain, this.prometheus, null, this.metrics);
		this.meters.counter("fleet.poll.errors").increment();
	}

	private static ObjectProvider<PrometheusRegistry> provider(PrometheusRegistry registry) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory(
				(registry != null) ? Map.of("prometheusRegistry", registry) : Map.of());
		return beans.getBeanProvider(PrometheusRegistry.class);
	}

	private String scrape() {
		return scrape(PrometheusOutputFormat.CONTENT_TYPE_004);
	}

	private String scrape(PrometheusOutputFormat format) {
		return body(this.endpoint.scrape(format, null));
	}

	private static String body(WebEndpointResponse<Resource> response) {
		try {
			Resource body = response.getBody();
			String text = body.getContentAsString(StandardCharsets.UTF_8);
			// The length sent before the body is the body's.
			assertThat(body.contentLength()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
			return text;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String fleetLines(String scrape) {
		return scrape.lines()
			.filter((l) -> l.startsWith("fleet_") || l.startsWith("# HELP fleet_") || l.startsWith("# TYPE fleet_"))
			.filter((l) -> !l.contains("fleet_poll_errors"))
			.collect(Collectors.joining("\n"));
	}

	private static final Instant AT = Instant.ofEpochSecond(1_700_000_300);

	private static final Classification TWO = new Classification("lab", AT,
			List.of(worker("a", WorkerState.HEALTHY, Set.of("gcc")), worker("b", WorkerState.HEALTHY, Set.of("gcc"))));

	private static final Classification THREE = new Classification("lab", AT,
			List.of(worker("a", WorkerState.OFFLINE, Set.of("arm64")), worker("c", WorkerState.FLAKY_HOST, Set.of()),
					worker("d", WorkerState.UNKNOWN, Set.of("gcc"))));

	private static WorkerReport worker(String name, WorkerState state, Set<String> classes) {
		return new WorkerReport("lab", name, state, Instant.ofEpochSecond(1_700_000_000),
				new WorkerReport.OwnerView("Ann", "ann@example.org"), Instant.ofEpochSecond(1_700_000_100), true, false,
				"3.7.0", "host", classes, List.of("evidence"), new WorkerReport.Counts(8, 1, 1, 0, 10, 0.1), null, null,
				null, null);
	}

	@Test
	void exportsAStateSetWithZerosAndCounts() {
		this.metrics.update(new Classification("lab", AT, List.of(worker("a", WorkerState.HEALTHY, Set.of("gcc")),
				worker("b", WorkerState.FLAKY_HOST, Set.of("gcc", "arm64")))));
		String scrape = scrape();
		assertThat(scrape).contains("fleet_worker_state{master=\"lab\",state=\"healthy\",worker=\"a\"} 1")
			.contains("fleet_worker_state{master=\"lab\",state=\"offline\",worker=\"a\"} 0")
			.contains("fleet_worker_state{master=\"lab\",state=\"flaky-host\",worker=\"b\"} 1")
			.contains("fleet_workers{master=\"lab\",state=\"unknown\"} 0")
			.contains("fleet_workers{master=\"lab\",state=\"healthy\"} 1")
			.contains("fleet_worker_info{master=\"lab\",owner=\"Ann <ann@example.org>\",version=\"3.7.0\",worker=\"a\"} 1")
			.contains("fleet_worker_last_seen_timestamp_seconds{master=\"lab\",worker=\"a\"} 1.7000001E9")
			.contains("fleet_worker_connected{master=\"lab\",worker=\"a\"} 1")
			.contains("fleet_worker_state_since_timestamp_seconds{master=\"lab\",worker=\"a\"} 1.7E9")
			.contains("fleet_worker_builds{master=\"lab\",outcome=\"host_failure\",worker=\"b\"} 1")
			.contains("fleet_worker_host_failure_ratio{master=\"lab\",worker=\"b\"} 0.1")
			.contains("fleet_build_class_workers{class=\"gcc\",master=\"lab\",state=\"healthy\"} 1")
			.contains("fleet_build_class_workers{class=\"arm64\",master=\"lab\",state=\"healthy\"} 0")
			.contains("fleet_source_up{master=\"lab\"} 1.0")
			.contains("fleet_source_last_success_timestamp_seconds{master=\"lab\"} 1.7000002E9")
			.doesNotContain("forgotten")
			.contains("# HELP fleet_worker_state ")
			.contains("fleet_poll_errors_total 1.0")
			.contains("fleet_worker_state{master=\"lab\",state=\"paused\",worker=\"a\"} 0")
			.contains("fleet_workers{master=\"lab\",state=\"paused\"} 0")
			.contains("fleet_worker_stuck_builds{master=\"lab\",worker=\"a\"} 0");
		// One series per state (six) per worker, exactly one at 1.
		assertThat(scrape.lines().filter((l) -> l.startsWith("fleet_worker_state{"))).hasSize(12);
	}

	@Test
	void aWorkerConnectedToAnotherMasterCountsInNoClassHere() {
		WorkerReport here = worker("a", WorkerState.HEALTHY, Set.of("gcc"));
		WorkerReport away = new WorkerReport("lab", "e", WorkerState.HEALTHY, Instant.ofEpochSecond(1_700_000_000),
				null, null, false, false, "3.7.0", "host", Set.of("gcc", "s390x"), List.of("evidence"),
				new WorkerReport.Counts(0, 0, 0, 0, 0, 0.0), null, null, null, null, true, null, List.of(), Set.of(),
				null, null, List.of("staging"));
		this.metrics.update(new Classification("lab", AT, List.of(here, away)));
		assertThat(scrape()).contains("fleet_build_class_workers{class=\"gcc\",master=\"lab\",state=\"healthy\"} 1")
			.doesNotContain("class=\"s390x\"")
			.contains("fleet_worker_state{master=\"lab\",state=\"healthy\",worker=\"e\"} 1")
			// Counted among the master's workers, and once more as connected elsewhere: the difference counts each
			// worker once across masters (the Grafana overview's "Workers by state").
			.contains("fleet_workers{master=\"lab\",state=\"healthy\"} 2")
			.contains("fleet_workers_connected_elsewhere{master=\"lab\",state=\"healthy\"} 1")
			.contains("fleet_workers_connected_elsewhere{master=\"lab\",state=\"offline\"} 0");
	}

	@Test
	void aVanishedWorkerLosesItsSeriesAndAChangedStateMovesTheOne() {
		this.metrics.update(new Classification("lab", AT,
				List.of(worker("a", WorkerState.HEALTHY, Set.of("gcc")), worker("b", WorkerState.HEALTHY, Set.of()))));
		this.metrics.update(new Classification("lab", AT, List.of(worker("a", WorkerState.OFFLINE, Set.of("gcc")))));
		String scrape = scrape();
		assertThat(scrape).doesNotContain("worker=\"b\"")
			.contains("fleet_worker_state{master=\"lab\",state=\"offline\",worker=\"a\"} 1")
			.contains("fleet_worker_state{master=\"lab\",state=\"healthy\",worker=\"a\"} 0")
			.contains("fleet_build_class_workers{class=\"gcc\",master=\"lab\",state=\"healthy\"} 0");
	}

	@Test
	void aConnectionHeardLiveShowsBeforeItsJudgement() {
		this.metrics.update(TWO);
		Instant dropped = Instant.ofEpochSecond(1_700_000_400);
		this.metrics.onHeard(new FleetHeard("lab", dropped, 1, List.of(new FleetHeard.Connection("a", false, dropped))));
		assertThat(scrape()).contains("fleet_worker_connected{master=\"lab\",worker=\"a\"} 0")
			.contains("fleet_worker_last_seen_timestamp_seconds{master=\"lab\",worker=\"a\"} 1.7000004E9")
			.contains("fleet_worker_connected{master=\"lab\",worker=\"b\"} 1")
			.contains("fleet_worker_state{master=\"lab\",state=\"healthy\",worker=\"a\"} 1");
		// A master not exported yet, and a worker not in the set, change nothing.
		this.metrics.onHeard(new FleetHeard("other", dropped, 1, List.of(new FleetHeard.Connection("a", true, dropped))));
		this.metrics.onHeard(new FleetHeard("lab", dropped, 1, List.of(new FleetHeard.Connection("zed", true, dropped))));
		assertThat(scrape()).contains("fleet_worker_connected{master=\"lab\",worker=\"a\"} 0")
			.doesNotContain("worker=\"zed\"")
			.doesNotContain("master=\"other\"");
		// The judgement that follows replaces the set.
		this.metrics.update(TWO);
		assertThat(scrape()).contains("fleet_worker_connected{master=\"lab\",worker=\"a\"} 1");
	}

	@Test
	void writesTheSameHeadersAsMicrometerDidInBothTextFormats() {
		this.metrics.update(new Classification("lab", AT, List.of(worker("a", WorkerState.HEALTHY, Set.of("gcc")))));
		String text = scrape();
		for (String gauge : List.of("fleet_worker_state", "fleet_workers", "fleet_worker_info",
				"fleet_worker_last_seen_timestamp_seconds", "fleet_worker_connected",
				"fleet_worker_state_since_timestamp_seconds",
				"fleet_worker_builds", "fleet_worker_host_failure_ratio", "fleet_build_class_workers", "fleet_source_up",
				"fleet_source_last_success_timestamp_seconds")) {
			assertThat(text).contains("# TYPE " + gauge + " gauge\n").contains("# HELP " + gauge + " ");
		}
		assertThat(text).contains("# HELP fleet_worker_info Fixed properties of a worker: owner and buildbot-worker version\n"
				+ "# TYPE fleet_worker_info gauge\n"
				+ "fleet_worker_info{master=\"lab\",owner=\"Ann <ann@example.org>\",version=\"3.7.0\",worker=\"a\"} 1\n");
		String openMetrics = scrape(PrometheusOutputFormat.CONTENT_TYPE_OPENMETRICS_100);
		assertThat(openMetrics).contains("# TYPE fleet_worker info\n"
				+ "# HELP fleet_worker Fixed properties of a worker: owner and buildbot-worker version\n"
				+ "fleet_worker_info{master=\"lab\",owner=\"Ann <ann@example.org>\",version=\"3.7.0\",worker=\"a\"} 1\n")
			.contains("# TYPE fleet_worker_state gauge\n")
			.contains("fleet_worker_state{master=\"lab\",state=\"healthy\",worker=\"a\"} 1.0\n")
			.doesNotContain("# UNIT fleet_")
			.endsWith("# EOF\n");
	}

	@Test
	void writesWhatSpringBootsEndpointWritesInBothTextFormats() {
		this.metrics.update(THREE);
		for (PrometheusOutputFormat format : List.of(PrometheusOutputFormat.CONTENT_TYPE_004,
				PrometheusOutputFormat.CONTENT_TYPE_OPENMETRICS_100)) {
			String ours = scrape(format);
			String boots = new String(this.plain.scrape(format, null).getBody(), StandardCharsets.UTF_8);
			// The same families and lines; only the order of the families differs.
			assertThat(ours.lines().sorted().toList()).as(format.name()).isEqualTo(boots.lines().sorted().toList());
			assertThat(ours).contains("fleet_poll_errors_total 1").contains("worker=\"d\"");
			if (format == PrometheusOutputFormat.CONTENT_TYPE_OPENMETRICS_100) {
				assertThat(ours).endsWith("\n# EOF\n");
				assertThat(ours.lines().filter("# EOF"::equals)).hasSize(1);
			}
		}
	}

	@Test
	void aNewSetIsWrittenOutAgainAndNamedMetricsAreServedTheUsualWay() {
		this.metrics.update(THREE);
		assertThat(scrape()).contains("worker=\"d\"");
		this.metrics.update(TWO);
		assertThat(scrape()).doesNotContain("worker=\"d\"").contains("worker=\"b\"");
		String named = body(this.endpoint.scrape(PrometheusOutputFormat.CONTENT_TYPE_004, Set.of("fleet_workers")));
		assertThat(named).contains("fleet_workers{master=\"lab\",state=\"healthy\"} 2")
			.doesNotContain("fleet_worker_state")
			.doesNotContain("fleet_poll_errors");
	}

	@Test
	void aFamilyWhosePointsAreTheSameIsKeptAndNotWrittenAgain() {
		ExpositionFormatWriter writer = ExpositionFormats.init().getPrometheusTextFormatWriter();
		this.metrics.update(TWO);
		Map<String, MetricSnapshot> before = families();
		List<FleetExposition.Chunk> written = this.metrics.render(writer);
		this.metrics.update(new Classification("lab", AT,
				List.of(worker("a", WorkerState.FLAKY_HOST, Set.of("gcc")), worker("b", WorkerState.HEALTHY, Set.of("gcc")))));
		Map<String, MetricSnapshot> after = families();
		List<FleetExposition.Chunk> again = this.metrics.render(writer);
		// The state changed: its families are new; the last-seen times, connections and info are the same objects.
		assertThat(after.get("fleet_worker_state")).isNotSameAs(before.get("fleet_worker_state"));
		assertThat(after.get("fleet_workers")).isNotSameAs(before.get("fleet_workers"));
		assertThat(after.get("fleet_build_class_workers")).isNotSameAs(before.get("fleet_build_class_workers"));
		for (String kept : List.of("fleet_worker_last_seen_timestamp_seconds", "fleet_worker_connected",
				"fleet_worker_info", "fleet_worker_builds")) {
			assertThat(after.get(kept)).as(kept).isSameAs(before.get(kept));
		}
		assertThat(again).hasSameSizeAs(written);
		int same = 0;
		for (int i = 0; i < again.size(); i++) {
			same += (again.get(i) == written.get(i)) ? 1 : 0;
		}
		assertThat(same).isEqualTo(again.size() - 3);
		// What is served is what Spring Boot's own endpoint writes from the same set, in both formats.
		for (PrometheusOutputFormat format : PrometheusOutputFormat.values()) {
			if (format == PrometheusOutputFormat.CONTENT_TYPE_PROTOBUF) {
				continue;
			}
			String ours = fleetLines(scrape(format));
			String boots = fleetLines(new String(this.plain.scrape(format, null).getBody(), StandardCharsets.UTF_8));
			// The same lines; only the order of the families differs.
			assertThat(ours.lines().sorted().toList()).as(format.name()).isEqualTo(boots.lines().sorted().toList());
			assertThat(ours).contains("fleet_worker_state{master=\"lab\",state=\"flaky-host\",worker=\"a\"} 1");
		}
	}

	private Map<String, MetricSnapshot> families() {
		Map<String, MetricSnapshot> families = new HashMap<>();
		this.metrics.collect().forEach((f) -> families.put(f.getMetadata().getPrometheusName(), f));
		return families;
	}

	@Test
	void aScrapeDoesNoDatabaseWork() {
		this.metrics.update(new Classification("lab", AT, List.of(worker("a", WorkerState.HEALTHY, Set.of("gcc")))));
		clearInvocations(this.fleet);
		scrape();
		scrape(PrometheusOutputFormat.CONTENT_TYPE_OPENMETRICS_100);
		verifyNoInteractions(this.fleet);
	}

	@Test
	void aScrapeWhileANewSetIsBuiltSeesTheWholeOldSet() {
		this.metrics.update(TWO);
		String old = fleetLines(scrape());
		List<MasterStatus> masters = this.fleet.masters();
		AtomicReference<String> during = new AtomicReference<>();
		// The new reports are in hand and the masters are being read: a scrape now must see the old set.
		given(this.fleet.masters()).willAnswer((invocation) -> {
			during.set(fleetLines(scrape()));
			return masters;
		});
		this.metrics.update(THREE);
		assertThat(during.get()).isEqualTo(old);
		assertThat(fleetLines(scrape())).isNotEqualTo(old).contains("worker=\"d\"");
	}

	@Test
	void scrapesRacingRepublishesSeeOneCompleteSetOrTheOther() throws InterruptedException {
		this.metrics.update(THREE);
		String three = fleetLines(scrape());
		this.metrics.update(TWO);
		String two = fleetLines(scrape());
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Thread publisher = new Thread(() -> {
			for (int i = 0; i < 500; i++) {
				this.metrics.update((i % 2 == 0) ? THREE : TWO);
			}
		});
		publisher.setUncaughtExceptionHandler((thread, ex) -> failure.set(ex));
		publisher.start();
		do {
			assertThat(fleetLines(scrape())).isIn(two, three);
		}
		while (publisher.isAlive());
		publisher.join();
		assertThat(failure.get()).isNull();
	}

	@Test
	void anotherCollectorOfTheSameNamesIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> new FleetMetrics(provider(this.prometheus), this.fleet, null, null, ClassificationProperties.defaults()));
	}

	@Test
	void withoutAPrometheusRegistryNothingIsBuiltAndNothingFails() {
		FleetQueries quiet = mock(FleetQueries.class);
		FleetMetrics unexported = new FleetMetrics(provider(null), quiet, null, null, ClassificationProperties.defaults());
		unexported.update(new Classification("lab", AT, List.of(worker("a", WorkerState.HEALTHY, Set.of()))));
		assertThat(unexported.collect()).isEmpty();
		verifyNoInteractions(quiet);
	}

}
