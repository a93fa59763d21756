package org.fleethealth.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.fleethealth.MutableClock;
import org.fleethealth.SyncEvents;
import org.fleethealth.gate.ReleaseGates;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.source.FleetSources;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceException;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LLVM's shape: a production and a staging master with the same workers, each connected to one of them. An outage
 * of the production master, which drops every worker as it stops, turns none of them offline on staging, however
 * long it lasts: it was a new user's finding that they all turned offline ("never connected") 8 s into one.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:shared-outage",
		"fleet-health.gate.stable-builders-by-master.production=*", "fleet-health.gate.excluded-masters=staging" })
@Import(SharedWorkersOutageTests.TwoMasters.class)
@AutoConfigureMockMvc
@DirtiesContext
class SharedWorkersOutageTests {

	static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	WorkerReports reports;

	@Autowired
	TwoMasters masters;

	@Autowired
	MockMvcTester mvc;

	@Autowired
	org.springframework.jdbc.core.JdbcTemplate jdbc;

	@Autowired
	ReleaseGates gates;

	@Autowired
	FleetQueries fleet;

	@Test
	void anOutageOfProductionTurnsNoSharedWorkerOfflineOnStaging() {
		FakeSource production = this.masters.production;
		FakeSource staging = this.masters.staging;
		production.workers = List.of(alice(1, true, 1L));
		production.builders = List.of(new SourceBuilder(1, "gcc alice", List.of("gcc"), null));
		production.builds.add(new SourceBuild(10, 1, 1, 1L, START.minusSeconds(900), START.minusSeconds(600), true, 0,
				"r1", "build successful"));
		staging.workers = List.of(alice(7, false, 5L));
		staging.builders = List.of(new SourceBuilder(5, "gcc alice (staging)", List.of("gcc"), null));
		poll();
		assertThat(state("staging")).isEqualTo(WorkerState.HEALTHY);
		// Never connected to staging, it reports nothing there: its owner is the one production reads.
		assertThat(report("staging").owner().name()).isEqualTo("Alice");
		assertThat(this.reports.workers("staging")).singleElement()
			.satisfies((w) -> assertThat(w.owner().name()).isEqualTo("Alice"));

		// Production stops: its last answer lists every worker dropped, then it answers no more.
		this.clock.advance(Duration.ofMinutes(1));
		production.workers = List.of(alice(1, false, 1L));
		poll();
		this.clock.advance(Duration.ofSeconds(30));
		production.failure = new SourceException("Connection refused");
		poll();
		assertThat(state("staging")).isEqualTo(WorkerState.HEALTHY);
		assertThat(report("staging").evidence().toString()).doesNotContain("never connected");

		// Two hours on (offline-after is one), production still down: nobody is offline on staging.
		for (int i = 0; i < 8; i++) {
			this.clock.advance(Duration.ofMinutes(15));
			poll();
		}
		assertThat(state("staging")).isEqualTo(WorkerState.HEALTHY);
		assertThat(state("production")).as("production says nothing while it does not answer")
			.isEqualTo(WorkerState.UNKNOWN);

		// Production is back and alice with it, at the next poll its back-off allows.
		production.failure = null;
		production.workers = List.of(alice(1, true, 1L));
		for (int i = 0; i < 40 && state("production") != WorkerState.HEALTHY; i++) {
			this.clock.advance(Duration.ofMinutes(1));
			poll();
			assertThat(state("staging")).isEqualTo(WorkerState.HEALTHY);
		}
		assertThat(state("production")).isEqualTo(WorkerState.HEALTHY);
		assertThat(state("staging")).isEqualTo(WorkerState.HEALTHY);
	}

	@Test
	void movingBetweenProductionAndStagingIsNoConnectionFlapping() {
		FakeSource production = this.masters.production;
		FakeSource staging = this.masters.staging;
		production.failure = null;
		staging.failure = null;
		production.builders = List.of(new SourceBuilder(2, "gcc bob", List.of("gcc"), null));
		staging.builders = List.of(new SourceBuilder(6, "gcc bob (staging)", List.of("gcc"), null));
		production.workers = List.of(bob(2, true, 2L));
		staging.workers = List.of(bob(8, false, 6L));
		poll();
		// Its owner moves it to staging and back, three times (a new user's finding: flaky-host on both masters,
		// "disconnected 3 times in the last 7d (connection flapping)").
		for (int i = 0; i < 3; i++) {
			this.clock.advance(Duration.ofMinutes(2));
			production.workers = List.of(bob(2, false, 2L));
			poll();
			this.clock.advance(Duration.ofSeconds(40));
			staging.workers = List.of(bob(8, true, 6L));
			poll();
			this.clock.advance(Duration.ofMinutes(2));
			staging.workers = List.of(bob(8, false, 6L));
			production.workers = List.of(bob(2, true, 2L));
			poll();
		}
		for (String master : List.of("production", "staging")) {
			WorkerReport bob = this.reports.worker(master, "bob").orElseThrow();
			assertThat(bob.state()).as(master + ": " + bob.evidence()).isNotEqualTo(WorkerState.FLAKY_HOST);
			assertThat(bob.evidence().toString()).as(master).doesNotContain("flapping");
		}

		// Dropping from production and coming back there is its own doing, as before.
		for (int i = 0; i < 3; i++) {
			this.clock.advance(Duration.ofMinutes(20));
			production.workers = List.of(bob(2, false, 2L));
			poll();
			this.clock.advance(Duration.ofMinutes(1));
			production.workers = List.of(bob(2, true, 2L));
			poll();
		}
		WorkerReport bob = this.reports.worker("production", "bob").orElseThrow();
		assertThat(bob.state()).as(bob.evidence().toString()).isEqualTo(WorkerState.FLAKY_HOST);
		assertThat(bob.evidence().get(0)).startsWith("disconnected 3 times in the last 7d (connection flapping)");
		// Staging, where it builds nothing, judges it otherwise: its page there says how production does.
		WorkerReport onStaging = this.reports.worker("staging", "bob").orElseThrow();
		assertThat(onStaging.state()).isNotEqualTo(WorkerState.FLAKY_HOST);
		assertThat(this.mvc.get().uri("/workers/staging/bob")).hasStatusOk()
			.bodyText()
			.contains("href=\"/workers/production/bob\"", "> (flaky-host there)</span>");
		assertThat(this.mvc.get().uri("/workers/production/bob")).hasStatusOk()
			.bodyText()
			.contains("> (" + onStaging.state().label() + " there)</span>");
	}

	/**
	 * A worker already gone from production when fleet-health first looks (production says it connected before: it
	 * reported its host) is judged on staging as production judges it, from that first look, not as one that never
	 * connected anywhere: the second trial's staging read "offline: never connected" while production read "healthy,
	 * disconnected 18s".
	 */
	@Test
	void aWorkerGoneBeforeTheFirstLookIsJudgedOnStagingAsOnProduction() {
		FakeSource production = this.masters.production;
		FakeSource staging = this.masters.staging;
		production.failure = null;
		staging.failure = null;
		production.builders = List.of(new SourceBuilder(3, "gcc carol", List.of("gcc"), null));
		staging.builders = List.of(new SourceBuilder(9, "gcc carol (staging)", List.of("gcc"), null));
		production.workers = List.of(new SourceWorker(3, "carol", false, Set.of(3L), "Carol <carol@example.org>",
				"host", "3.7.0", false));
		staging.workers = List.of(new SourceWorker(9, "carol", false, Set.of(9L), null, null, null, false));
		poll();
		for (String master : List.of("production", "staging")) {
			WorkerReport carol = this.reports.worker(master, "carol").orElseThrow();
			assertThat(carol.state()).as(master + ": " + carol.evidence()).isEqualTo(WorkerState.HEALTHY);
			assertThat(carol.evidence().toString()).as(master).doesNotContain("never connected");
		}

		this.clock.advance(Duration.ofMinutes(61));
		poll();
		for (String master : List.of("production", "staging")) {
			WorkerReport carol = this.reports.worker(master, "carol").orElseThrow();
			assertThat(carol.state()).as(master + ": " + carol.evidence()).isEqualTo(WorkerState.OFFLINE);
			assertThat(carol.evidence().get(0)).as(master).startsWith("not connected since");
		}
		// Where the date comes from: no disconnect was seen (a trial read it as one).
		assertThat(this.reports.worker("production", "carol").orElseThrow().evidence().get(0))
			.endsWith("(1h 1m): when fleet-health first looked, it was gone already (for how long before, nothing"
					+ " here tells)");
		assertThat(this.reports.worker("staging", "carol").orElseThrow().evidence().get(0))
			.endsWith(": when fleet-health first looked at master 'production', where it was gone already");
		// Staging never heard its host or version: its page says where they are (a trial read a bare dash).
		assertThat(this.mvc.get().uri("/workers/staging/carol")).hasStatusOk()
			.bodyText()
			.contains("<span class=\"host\">—</span>", "> (never reported to this master; see its page on the others)</span>");
		assertThat(this.mvc.get().uri("/workers/production/carol")).hasStatusOk()
			.bodyText()
			.contains(">host<")
			.doesNotContain("reported to this master");
	}

	/**
	 * A worker dead for days on production that staging (which keeps every host a worker ever reported) also lists
	 * as gone when fleet-health first looks: staging's first look is no sign of it. Both masters date its absence
	 * from its last build on production. A trial read it "healthy" on both for an hour, then "offline since" the
	 * first look beside "last build finished" three days before.
	 */
	@Test
	void anotherMastersFirstLookIsNoSignOfAWorkerGoneForDays() {
		FakeSource production = this.masters.production;
		FakeSource staging = this.masters.staging;
		production.failure = null;
		staging.failure = null;
		Instant lastBuild = this.clock.instant().minus(Duration.ofDays(3));
		production.builders = List.of(new SourceBuilder(4, "gcc dan", List.of("gcc"), null));
		production.builds.add(new SourceBuild(40, 4, 1, 4L, lastBuild.minusSeconds(600), lastBuild, true, 0, "r4",
				"build successful"));
		staging.builders = List.of(new SourceBuilder(10, "gcc dan (staging)", List.of("gcc"), null));
		production.workers = List.of(dan(4, 4L));
		staging.workers = List.of(dan(10, 10L));
		poll();
		for (String master : List.of("production", "staging")) {
			WorkerReport dan = this.reports.worker(master, "dan").orElseThrow();
			assertThat(dan.state()).as(master + ": " + dan.evidence()).isEqualTo(WorkerState.OFFLINE);
			assertThat(dan.since()).as(master).isEqualTo(lastBuild);
			assertThat(dan.evidence().get(0)).as(master).startsWith("not connected since 2026-11-");
		}
		// Production dates it from its own last build; staging says whose sign it is.
		assertThat(this.reports.worker("production", "dan").orElseThrow().evidence().get(0)).endsWith("(3d)");
		assertThat(this.reports.worker("staging", "dan").orElseThrow().evidence().get(0))
			.endsWith("(3d): the last sign of it on master 'production'");
	}

	/**
	 * A master no longer watched (renamed in the configuration; its rows stay in the database) is not "another
	 * master" the worker is connected to: a trial's production workers read "connected to master 'llvm' under the
	 * same name, so not offline here" for good after 'llvm' was renamed 'production'.
	 */
	@Test
	void aMasterNoLongerWatchedIsNoSignOfAWorker() {
		FakeSource production = this.masters.production;
		FakeSource staging = this.masters.staging;
		production.failure = null;
		staging.failure = null;
		Instant now = this.clock.instant();
		this.jdbc.update("insert into worker (master, name, buildbot_id, configured, connected, ever_connected,"
				+ " first_seen_at, last_seen_at, connected_since) values ('llvm', 'erin', 5, true, true, true, ?, ?, ?)",
				java.sql.Timestamp.from(now.minus(Duration.ofDays(2))), java.sql.Timestamp.from(now),
				java.sql.Timestamp.from(now.minus(Duration.ofDays(2))));
		production.builders = List.of(new SourceBuilder(5, "gcc erin", List.of("gcc"), null));
		staging.builders = List.of(new SourceBuilder(11, "gcc erin (staging)", List.of("gcc"), null));
		production.workers = List.of(erin(5, true, 5L));
		staging.workers = List.of(erin(11, false, 11L));
		poll();
		this.clock.advance(Duration.ofMinutes(1));
		production.workers = List.of(erin(5, false, 5L));
		poll();
		this.clock.advance(Duration.ofMinutes(61));
		poll();
		WorkerReport erin = this.reports.worker("production", "erin").orElseThrow();
		assertThat(erin.state()).as(erin.evidence().toString()).isEqualTo(WorkerState.OFFLINE);
		assertThat(erin.evidence().toString()).doesNotContain("llvm");
		assertThat(this.reports.worker("staging", "erin").orElseThrow().evidence().toString()).doesNotContain("llvm");
	}

	/**
	 * LLVM's staging master has no releases of its own, and its gate read no-go for good (a trial): with
	 * {@code excluded-masters} it has none, says so where one is asked for, and exports no {@code fleet_release_gate}.
	 */
	@Test
	void aStagingMasterExcludedFromTheGateHasNone() {
		this.masters.production.failure = null;
		this.masters.staging.failure = null;
		this.masters.production.builders = List.of(new SourceBuilder(6, "gcc frank", List.of("gcc"), null));
		this.masters.staging.builders = List.of(new SourceBuilder(12, "gcc frank (staging)", List.of("gcc"), null));
		this.masters.production.workers = List.of(new SourceWorker(6, "frank", true, Set.of(6L),
				"Frank <frank@example.org>", "host", "3.7.0", false));
		this.masters.staging.workers = List.of(new SourceWorker(12, "frank", false, Set.of(12L), null, null, null,
				false));
		poll();
		assertThat(this.gates.masters()).containsExactly("production");
		assertThat(this.gates.ungated()).containsExactly("staging");
		assertThat(this.gates.gate("staging")).isEmpty();
		assertThat(this.gates.gate("production")).isPresent();
		assertThat(this.mvc.get().uri("/api/release-gate?master=staging")).hasStatus(404)
			.bodyText()
			.contains("Master 'staging' has no release gate: it is in fleet-health.gate.excluded-masters; masters"
					+ " with one: production");
		assertThat(this.mvc.get().uri("/api/stable-set/proposal?master=staging")).hasStatus(404);
		// A master not watched at all: every watched master is named, those without a gate too.
		assertThat(this.mvc.get().uri("/api/release-gate?master=nosuch")).hasStatus(404)
			.bodyText()
			.contains("No master 'nosuch'; watched: production, staging");
		// The only master with a gate need not be named.
		assertThat(this.mvc.get().uri("/api/release-gate")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.master")
			.isEqualTo("production");
		assertThat(this.mvc.get().uri("/release-gate")).hasStatusOk()
			.bodyText()
			.contains("id=\"gate-production\"", "No release gate for", "staging", "fleet-health.gate.excluded-masters")
			.doesNotContain("id=\"gate-staging\"");
		assertThat(this.mvc.get().uri("/release-gate?master=staging")).hasStatus(404);
		assertThat(this.mvc.get().uri("/actuator/prometheus")).hasStatusOk()
			.bodyText()
			.contains("fleet_release_gate{master=\"production\"}")
			.doesNotContain("fleet_release_gate{master=\"staging\"}");
		// None of its builders is stable: nothing of it is release-blocking.
		assertThat(this.fleet.builders("staging")).isNotEmpty().noneMatch(this.gates::isStable);
		assertThat(this.fleet.builders("production")).isNotEmpty().allMatch(this.gates::isStable);
	}

	private static SourceWorker dan(long id, long builder) {
		return new SourceWorker(id, "dan", false, Set.of(builder), "Dan <dan@example.org>", "host", "3.7.0", false);
	}

	private static SourceWorker erin(long id, boolean connected, long builder) {
		return new SourceWorker(id, "erin", connected, Set.of(builder), "Erin <erin@example.org>", "host", "3.7.0",
				false);
	}

	private static SourceWorker bob(long id, boolean connected, long builder) {
		return new SourceWorker(id, "bob", connected, Set.of(builder), "Bob <bob@example.org>", "host", "3.7.0", false);
	}

	private void poll() {
		this.polls.pollWorkers();
		this.polls.pollBuilds();
	}

	private WorkerReport report(String master) {
		return this.reports.worker(master, "alice").orElseThrow();
	}

	private WorkerState state(String master) {
		return report(master).state();
	}

	private static SourceWorker alice(long id, boolean connected, long builder) {
		return connected
				? new SourceWorker(id, "alice", true, Set.of(builder), "Alice <alice@example.org>", "host", "3.7.0",
						false)
				: new SourceWorker(id, "alice", false, Set.of(builder), null, null, null, false);
	}

	/** Two in-memory masters, production and staging, and a clock the test moves. */
	@TestConfiguration(proxyBeanMethods = false)
	@Import(SyncEvents.class)
	static class TwoMasters {

		final FakeSource production = new FakeSource("production");

		final FakeSource staging = new FakeSource("staging");

		@Bean
		FleetSources twoSources() {
			return () -> List.of(this.production, this.staging);
		}

		@Bean
		@Primary
		MutableClock testClock() {
			return new MutableClock(START);
		}

	}

}
