package org.fleethealth.quarantine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import org.fleethealth.MutableClock;
import org.fleethealth.fleet.FakeFleet;
import org.fleethealth.fleet.FakeSource;
import org.fleethealth.fleet.PollService;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceStep;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code fleet-health.quarantine.auto=true} with the default {@code max-share}: proposals are approved at once, the
 * safety valve still refuses (a stable builder the worker serves alone), and a worker that someone else paused
 * meanwhile is never unpaused by fleet-health.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "fleet-health.mail.enabled=false",
		"spring.datasource.url=jdbc:h2:mem:quarantineauto", "fleet-health.quarantine.auto=true",
		"fleet-health.quarantine.after=PT1H", "fake-fleet.master=lab", "fake-fleet.start=2026-11-23T10:00:00Z" })
@Import(FakeFleet.class)
@DirtiesContext
class QuarantineAutoTests {

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	QuarantineService quarantine;

	@Autowired
	MeterRegistry meters;

	private long nextBuild = 1;

	private static SourceWorker worker(long id, String name, boolean paused, String reason, long builder) {
		return new SourceWorker(id, name, true, Set.of(builder), name + " <" + name + "@example.org>", "host",
				"4.2.0", paused, reason, Set.of(), Set.of());
	}

	private void build(long builder, long worker, int results, Instant started) {
		long id = this.nextBuild++;
		this.source.builds.add(new SourceBuild(id, (int) id, builder, worker, started, started.plusSeconds(60), true,
				results, "rev" + id, "done"));
	}

	private void poll(Duration later) {
		this.clock.advance(later);
		this.polls.pollWorkers();
		this.polls.pollBuilds();
	}

	private List<SourceWorker> fleet(boolean bobPausedByOps) {
		return List.of(worker(1, "solo", false, null, 1), worker(2, "alice", false, null, 2),
				worker(3, "grace", false, null, 2), worker(4, "ivan", false, null, 2), worker(5, "judy", false, null, 2),
				worker(6, "bob", bobPausedByOps, bobPausedByOps ? "disk swap (ops)" : null, 2));
	}

	@Test
	void approvedAtOnceRefusedByTheValveAndNeverUnpausingSomeoneElsesPause() {
		this.source.workers = fleet(false);
		this.source.builders = List.of(new SourceBuilder(1, "freebsd gcc", List.of("gcc", "freebsd", "stable"), null),
				new SourceBuilder(2, "linux gcc", List.of("gcc", "linux"), null));
		this.source.steps = List.of(new SourceStep(0, "worker_preparation", 0), new SourceStep(1, "git", 2));
		Instant start = this.clock.instant();
		for (int i = 0; i < 6; i++) {
			Instant at = start.minus(Duration.ofHours(6 - i));
			build(1, 1, 2, at);
			build(2, 2, 0, at);
			build(2, 3, 0, at);
			build(2, 4, 0, at);
			build(2, 5, 0, at);
			build(2, 6, 2, at.plusSeconds(5));
		}
		poll(Duration.ZERO);
		poll(Duration.ofMinutes(61));

		// solo serves the stable builder alone: refused, counted, nothing paused.
		QuarantineView solo = this.quarantine.proposals("lab", "solo").get(0);
		assertThat(solo.status()).isEqualTo(QuarantineStatus.REFUSED);
		assertThat(solo.decidedBy()).isEqualTo("fleet-health (auto)");
		assertThat(solo.refusal()).isEqualTo(Refusal.STABLE_BUILDER);
		assertThat(solo.note()).isEqualTo("refused by the safety valve (stable-builder): the stable builder"
				+ " 'freebsd gcc' would have no connected, unpaused worker left");
		assertThat(this.meters.get("fleet.quarantine.refusals").tag("reason", "stable-builder").counter().count())
			.isEqualTo(1.0);
		assertThat(this.meters.get("fleet.quarantine.refusals").tag("reason", "code-break").counter().count()).isZero();

		// bob is quarantined at once (1 of 5 linux workers, 1 of 6 on the master).
		QuarantineView bob = this.quarantine.proposals("lab", "bob").get(0);
		assertThat(bob.status()).isEqualTo(QuarantineStatus.QUARANTINED);
		assertThat(bob.decidedBy()).isEqualTo("fleet-health (auto)");
		assertThat(this.source.controls).singleElement().asString().startsWith("pause 6 quarantined by fleet-health");

		// Someone pauses bob for their own reason (Buildbot 4.x says so): fleet-health never unpauses it.
		this.source.workers = fleet(true);
		poll(Duration.ofMinutes(1));
		assertThatThrownBy(() -> this.quarantine.release(bob.id(), "maintainer"))
			.isInstanceOf(QuarantineConflictException.class)
			.hasMessageContaining("paused in Buildbot by someone else (disk swap (ops))");
		assertThat(this.source.controls).noneMatch((c) -> c.startsWith("unpause"));

		// solo still serves the stable builder alone after another `after`: nothing new is proposed (and refused).
		poll(Duration.ofMinutes(61));
		assertThat(this.quarantine.proposals("lab", "solo")).singleElement()
			.satisfies((q) -> assertThat(q.status()).isEqualTo(QuarantineStatus.REFUSED));
		assertThat(this.meters.get("fleet.quarantine.refusals").tag("reason", "stable-builder").counter().count())
			.isEqualTo(1.0);

		// Four workers join its builder: the valve would let it through now, so it is proposed, and paused.
		List<SourceWorker> grown = new java.util.ArrayList<>(fleet(true));
		for (long id = 7; id <= 10; id++) {
			grown.add(worker(id, "spare" + id, false, null, 1));
		}
		this.source.workers = grown;
		poll(Duration.ofMinutes(1));
		assertThat(this.quarantine.proposals("lab", "solo")).hasSize(2)
			.first()
			.satisfies((q) -> assertThat(q.status()).isEqualTo(QuarantineStatus.QUARANTINED));
	}

}
