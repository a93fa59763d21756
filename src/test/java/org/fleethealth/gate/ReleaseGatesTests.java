package org.fleethealth.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.fleethealth.MutableClock;
import org.fleethealth.fleet.FakeFleet;
import org.fleethealth.fleet.FakeSource;
import org.fleethealth.fleet.PollService;
import org.fleethealth.health.WorkerState;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceException;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceStep;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate through the whole service (H2, JPA queries, the classification event, the gauge) against an
 * in-memory master whose stable builders are tagged or configured.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:gate",
		"fleet-health.gate.stable-builders=missing builder" })
@Import(FakeFleet.class)
@DirtiesContext
class ReleaseGatesTests {

	static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	ReleaseGates gates;

	@Autowired
	PrometheusRegistry prometheus;

	private static SourceBuild build(long id, long builder, long worker, int results, Instant started) {
		return new SourceBuild(id, (int) id, builder, worker, started, started.plusSeconds(60), true, results,
				"rev" + id, "done");
	}

	private double gauge() {
		return GateGauge.value(this.prometheus, "fake", null);
	}

	@Test
	void blocksOnARedStableBuilderAndGoesOnceItIsGreenAgain() {
		source.workers = List.of(
				new SourceWorker(1, "alice", true, Set.of(1L, 3L), "Alice <alice@example.org>", "host", "3.7.0", false),
				new SourceWorker(2, "bob", true, Set.of(2L), "Bob <bob@example.org>", "host", "3.7.0", false),
				new SourceWorker(3, "dave", false, Set.of(4L), null, null, null, false));
		source.builders = List.of(new SourceBuilder(1, "gcc alice", List.of("gcc", "stable"), null),
				new SourceBuilder(2, "gcc bob", List.of("gcc", "stable"), null),
				new SourceBuilder(3, "clang alice", List.of("clang"), null),
				new SourceBuilder(4, "gcc dave", List.of("gcc"), null));
		source.steps = List.of(new SourceStep(0, "worker_preparation", 0), new SourceStep(1, "test", 2));
		// Every 12 hours for 12 days; bob's last build fails in its test step.
		long id = 1;
		for (int i = 0; i < 24; i++) {
			Instant started = START.minus(Duration.ofHours(12L * (24 - i)));
			source.builds.add(build(id++, 1, 1, 0, started));
			source.builds.add(build(id++, 2, 2, (i == 23) ? 2 : 0, started));
			source.builds.add(build(id++, 3, 1, 0, started));
		}

		this.polls.pollWorkers();
		this.polls.pollBuilds();

		GateReport gate = this.gates.gate("fake").orElseThrow();
		assertThat(gate.verdict()).isEqualTo(GateVerdict.NO_GO);
		// The two tagged ones: "missing builder" is a concern, not a stable builder.
		assertThat(gate.stableBuilders()).isEqualTo(2);
		assertThat(gate.blockers()).singleElement().satisfies((b) -> {
			assertThat(b.builder()).isEqualTo("gcc bob");
			assertThat(b.reason()).startsWith("last build #71 failed in step 'test'");
			assertThat(b.worker()).isEqualTo("bob");
			assertThat(b.lastBuild().url()).isEqualTo("http://fake.invalid/#/builders/2/builds/71");
			assertThat(b.lastBuild().revision()).isEqualTo("rev71");
		});
		assertThat(gate.concerns()).singleElement().satisfies((c) -> {
			assertThat(c.builder()).isEqualTo("missing builder");
			assertThat(c.stableBecause()).isEqualTo("configuration");
		});
		assertThat(gate.passing()).singleElement().satisfies((p) -> {
			assertThat(p.builder()).isEqualTo("gcc alice");
			assertThat(p.workerState()).isEqualTo(WorkerState.HEALTHY);
		});
		assertThat(gauge()).isEqualTo(0.0);

		StableSetProposal proposal = this.gates.proposal("fake").orElseThrow();
		assertThat(proposal.add()).extracting(StableSetProposal.Entry::builder).containsExactly("clang alice");
		assertThat(proposal.add().get(0).builds()).isEqualTo(14);
		// One failure blocks the gate, but a stable builder may have one (stable-max-failures) and keep its place.
		assertThat(proposal.remove()).extracting(StableSetProposal.Entry::builder).containsExactly("missing builder");

		// Asked again before the next round: the same proposal, not worked out again.
		clock.advance(Duration.ofMinutes(30));
		assertThat(this.gates.proposal("fake").orElseThrow()).isSameAs(proposal);

		// bob builds green again: the next poll's classification re-evaluates the gate by itself.
		source.builds.add(build(id, 2, 2, 0, START.plus(Duration.ofMinutes(10))));
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		GateReport after = this.gates.gate("fake").orElseThrow();
		assertThat(after.verdict()).isEqualTo(GateVerdict.GO);
		assertThat(this.gates.proposal("fake").orElseThrow().evaluatedAt()).isEqualTo(clock.instant());
		assertThat(after.evaluatedAt()).isEqualTo(clock.instant());
		assertThat(gauge()).isEqualTo(1.0);

		clock.advance(Duration.ofMinutes(1));
		assertThat(this.gates.refresh("fake").orElseThrow().evaluatedAt()).isEqualTo(clock.instant());
		assertThat(this.gates.gate("nowhere")).isEmpty();
		// A branch no stable builder is on names the configured ones the master does not have.
		assertThat(this.gates.gate("fake", "9.99").orElseThrow().notes()).singleElement()
			.asString()
			.contains("no stable builder of master 'fake' is on branch '9.99'")
			.endsWith("configured as stable, but the master has no builder of that name: missing builder");

		// bob's host fails a build (an exception): a concern, not a blocker.
		source.builds.add(build(id + 1, 2, 2, 4, clock.instant().minus(Duration.ofMinutes(5))));
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		assertThat(hostConcernOnBob()).isTrue();

		// The master stops answering for longer than stale-after (10 minutes): its workers read unknown, but what
		// each build was stays what it was. It was a new user's finding that the host failure turned into a blocker
		// ("the classifier has not judged it").
		source.failure = new SourceException("Connection refused");
		for (int i = 0; i < 4; i++) {
			clock.advance(Duration.ofMinutes(5));
			this.polls.pollWorkers();
			this.polls.pollBuilds();
		}
		GateReport silent = this.gates.gate("fake").orElseThrow();
		assertThat(silent.blockers()).as(silent.blockers().toString()).isEmpty();
		assertThat(hostConcernOnBob()).isTrue();
		source.failure = null;
	}

	private boolean hostConcernOnBob() {
		return this.gates.gate("fake")
			.orElseThrow()
			.concerns()
			.stream()
			.anyMatch((c) -> c.builder().equals("gcc bob") && c.cause() == Cause.HOST);
	}

}
