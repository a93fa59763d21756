package org.fleethealth.quarantine;

import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code fleet_worker_quarantined} and {@code fleet_quarantine_refusals_total} as rounds, pauses and restarts set them. */
class QuarantineMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final QuarantineMetrics metrics = new QuarantineMetrics(this.registry);

	private double quarantined(String master, String worker) {
		return this.registry.get("fleet.worker.quarantined").tag("master", master).tag("worker", worker).gauge().value();
	}

	@Test
	void everyWorkerHasASeriesAndOnlyFleetHealthsQuarantinesAreOne() {
		this.metrics.update("lab", List.of("alice", "bob"), Set.of("bob"));
		this.metrics.update("staging", List.of("carol"), Set.of());
		assertThat(quarantined("lab", "bob")).isEqualTo(1.0);
		assertThat(quarantined("lab", "alice")).isZero();
		assertThat(quarantined("staging", "carol")).isZero();

		this.metrics.set("lab", "bob", false);
		this.metrics.set("lab", "alice", true);
		assertThat(quarantined("lab", "bob")).isZero();
		assertThat(quarantined("lab", "alice")).isEqualTo(1.0);

		// Reloaded judgements: the quarantines as stored, the other series kept.
		this.metrics.refresh("lab", Set.of("bob"));
		assertThat(quarantined("lab", "bob")).isEqualTo(1.0);
		assertThat(quarantined("lab", "alice")).isZero();
		this.metrics.update("lab", List.of("bob"), Set.of());
		assertThat(this.registry.find("fleet.worker.quarantined").tag("worker", "alice").gauge()).as("gone").isNull();
	}

	@Test
	void refusalsAreCountedByReasonFromZero() {
		this.metrics.refused(Refusal.CODE_BREAK);
		assertThat(this.registry.get("fleet.quarantine.refusals").tag("reason", "code-break").counter().count())
			.isEqualTo(1.0);
		assertThat(this.registry.get("fleet.quarantine.refusals").tag("reason", "master-share").counter().count())
			.isZero();
	}

}
