package org.fleethealth.gate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.fleethealth.MutableClock;
import org.fleethealth.SyncEvents;
import org.fleethealth.fleet.FakeSource;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.PollService;
import org.fleethealth.health.BuilderTags;
import org.fleethealth.health.Classification;
import org.fleethealth.health.ClassificationProperties;
import org.fleethealth.health.Outcome;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.source.FleetSources;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceStep;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.fleethealth.system.MasterLocks;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate per branch and by tier, and a host's failure told from the code's, through the whole service: polls of an
 * in-memory master with CPython-shaped tags, the real classification, the stored judgements, the gauge. A second
 * gate that never saw a classification (as an instance that did not poll, in clustered mode) answers the same.
 * Run on H2 ({@link ReleaseGateBranchesTests}) and on PostgreSQL ({@code ReleaseGateBranchesPostgresIT}).
 */
abstract class ReleaseGateBranchesScenario {

	static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

	@TestConfiguration
	@Import(SyncEvents.class)
	static class Config {

		// The master and the clock are the context's, not static: the H2 and PostgreSQL runs can share a JVM.
		@Bean
		FakeSource fakeSource() {
			return new FakeSource("fake");
		}

		@Bean
		FleetSources fakeSources(FakeSource source) {
			return () -> List.of(source);
		}

		@Bean
		@Primary
		MutableClock testClock() {
			return new MutableClock(START);
		}

	}

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

	@Autowired
	FleetQueries fleet;

	@Autowired
	WorkerReports reports;

	@Autowired
	GateProperties properties;

	@Autowired
	BuilderTags tags;

	@Autowired
	ClassificationProperties classification;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MasterLocks locks;

	@Autowired
	TransactionTemplate transactions;

	private long nextId = 1;

	private SourceBuild build(long builder, long worker, int results, Instant started, String revision, String branch) {
		long id = this.nextId++;
		return new SourceBuild(id, (int) id, builder, worker, started, started.plusSeconds(60), true, results, revision,
				"done", branch);
	}

	/**
	 * alice, grace and bob share the x86-64 builders of both branches; carol alone runs an arm64 builder (tier-3)
	 * on 3.14. bob fails 'x86-64 gcc 3.x' where alice and grace pass, and builds it last. On 3.14 the same revision
	 * fails on both of its builders that built it: a code break. 'x86-64 clang' has no branch tag; its builds say
	 * 'main'. 'macos clang' (tier-3) has neither a branch tag nor builds: dave never connected.
	 */
	private void fleet() {
		Set<Long> shared = Set.of(1L, 2L, 4L);
		this.source.workers = List.of(new SourceWorker(1, "alice", true, shared, null, "host", "3.7.0", false),
				new SourceWorker(2, "grace", true, shared, null, "host", "3.7.0", false),
				new SourceWorker(3, "bob", true, shared, null, "host", "3.7.0", false),
				new SourceWorker(4, "carol", true, Set.of(3L), null, "host", "3.7.0", false),
				new SourceWorker(5, "dave", false, Set.of(5L), null, null, null, false));
		this.source.builders = List.of(
				new SourceBuilder(1, "x86-64 gcc 3.x", List.of("3.x", "gcc", "x86-64", "stable", "tier-1"), null),
				new SourceBuilder(2, "x86-64 gcc 3.14", List.of("3.14", "gcc", "x86-64", "stable", "tier-1"), null),
				new SourceBuilder(3, "arm64 gcc 3.14", List.of("3.14", "gcc", "arm64", "stable", "tier-3"), null),
				new SourceBuilder(4, "x86-64 clang", List.of("clang", "x86-64", "stable"), null),
				new SourceBuilder(5, "macos clang", List.of("clang", "macos", "stable", "tier-3"), null));
		this.source.steps = List.of(new SourceStep(0, "worker_preparation", 0), new SourceStep(1, "test", 2));
		long[] pool = { 1, 2, 3 };
		for (int i = 0; i < 12; i++) {
			Instant started = START.minus(Duration.ofHours(24 - i));
			long worker = pool[i % 3];
			this.source.builds.add(build(1, worker, (worker == 3) ? 2 : 0, started, "main" + i, "main"));
			this.source.builds.add(build(4, pool[(i + 1) % 3], 0, started, "main" + i, "main"));
		}
		for (int i = 0; i < 4; i++) {
			Instant started = START.minus(Duration.ofHours(10 - i));
			int results = (i == 3) ? 2 : 0;
			this.source.builds.add(build(2, pool[i % 2], results, started, "r314-" + i, "3.14"));
			this.source.builds.add(build(3, 4, results, started, "r314-" + i, "3.14"));
		}
	}

	@Test
	void blocksABranchOnTheCodeAndNotOnABrokenHost() {
		fleet();
		this.polls.pollWorkers();
		this.polls.pollBuilds();

		GateReport gate = this.gates.gate("fake").orElseThrow();
		assertThat(gate.branches()).extracting(GateReport.BranchGate::branch).containsExactly("3.x", "main", "3.14");
		assertThat(gate.branches()).extracting(GateReport.BranchGate::verdict)
			.containsExactly(GateVerdict.GO, GateVerdict.GO, GateVerdict.NO_GO);
		assertThat(gate.verdict()).isEqualTo(GateVerdict.NO_GO);
		assertThat(gate.stableBuilders()).isEqualTo(5);

		GateReport x = this.gates.gate("fake", "3.x").orElseThrow();
		assertThat(x.verdict()).isEqualTo(GateVerdict.GO);
		assertThat(x.blockers()).isEmpty();
		assertThat(x.concerns()).singleElement().satisfies((c) -> {
			assertThat(c.builder()).isEqualTo("x86-64 gcc 3.x");
			assertThat(c.cause()).isEqualTo(Cause.HOST);
			assertThat(c.worker()).isEqualTo("bob");
			assertThat(c.workerState()).isEqualTo(WorkerState.FLAKY_HOST);
			assertThat(c.outcome()).isEqualTo(Outcome.HOST_FAILURE);
			assertThat(c.judgement()).startsWith("failed on 'x86-64 gcc 3.x' where its pool mates pass");
			assertThat(c.reason()).contains("on bob (flaky-host)", "which the classifier counts against that host",
					"#21 passed on grace");
			assertThat(c.peerBuild().worker()).isEqualTo("grace");
			assertThat(c.peerBuild().url()).isEqualTo("http://fake.invalid/#/builders/1/builds/" + c.peerBuild().number());
			assertThat(c.action()).startsWith("fix the host bob (flaky-host), or take it off 'x86-64 gcc 3.x'");
		});

		GateReport b314 = this.gates.gate("fake", "3.14").orElseThrow();
		assertThat(b314.verdict()).isEqualTo(GateVerdict.NO_GO);
		assertThat(b314.blockers()).singleElement().satisfies((b) -> {
			assertThat(b.builder()).isEqualTo("x86-64 gcc 3.14");
			assertThat(b.cause()).isEqualTo(Cause.CODE);
			assertThat(b.tier()).isEqualTo("tier-1");
			assertThat(b.outcome()).isEqualTo(Outcome.CODE_BREAK);
			assertThat(b.reason()).contains("the code's fault: the same revision failed on its peers too (revision r314-3");
		});
		assertThat(b314.concerns()).singleElement().satisfies((c) -> {
			assertThat(c.builder()).isEqualTo("arm64 gcc 3.14");
			assertThat(c.cause()).isEqualTo(Cause.CODE);
			assertThat(c.reason()).contains("this does not block a release: tier-3 is not a blocking tier");
		});

		GateReport main = this.gates.gate("fake", "main").orElseThrow();
		assertThat(main.passing()).extracting(GateReport.Entry::builder).containsExactly("x86-64 clang");
		assertThat(main.passing().get(0).tier()).isNull();
		// Never built and no branch tag: judged where the builders without branch tags build.
		assertThat(main.concerns()).singleElement().satisfies((c) -> {
			assertThat(c.builder()).isEqualTo("macos clang");
			assertThat(c.cause()).isEqualTo(Cause.NO_WORKER);
			assertThat(c.reason()).contains("dave is offline", "it has never finished a build",
					"this does not block a release: tier-3");
		});

		assertThat(gauge(null)).isEqualTo(0.0);
		assertThat(gauge("3.x")).isEqualTo(1.0);
		assertThat(gauge("main")).isEqualTo(1.0);
		assertThat(gauge("3.14")).isEqualTo(0.0);

		// The stable-set proposal lists the builder the host fails under remove, naming the host.
		StableSetProposal proposal = this.gates.proposal("fake").orElseThrow();
		assertThat(proposal.remove()).filteredOn((e) -> e.builder().equals("x86-64 gcc 3.x"))
			.singleElement()
			.satisfies((e) -> assertThat(e.reasons()).anyMatch((r) -> r.startsWith(
					"4 of its builds failed on bob (flaky-host) and are counted against that host: fix the host, or take it off")));

		// The code break on 3.14 says nothing about its builders: not counted as a failure, nor as a build.
		assertThat(proposal.remove()).filteredOn((e) -> e.builder().equals("x86-64 gcc 3.14"))
			.singleElement()
			.satisfies((e) -> {
				assertThat(e.builds()).isEqualTo(3);
				assertThat(e.reasons()).noneMatch((r) -> r.contains("failed"));
			});

		// An instance that did not classify: no judgements of its own, only what the classifying one stored.
		ReleaseGates other = otherInstance();
		other.refresh(new Classification("fake", this.clock.instant(), this.reports.workers("fake")));
		GateReport seen = other.gate("fake").orElseThrow();
		assertThat(seen.branches()).isEqualTo(gate.branches());
		assertThat(seen.verdict()).isEqualTo(gate.verdict());

		anExcludedBranchIsInNoGateAndNoProposal();

		// 3.14 is fixed: the next poll's classification moves its verdict and its series, and the master's.
		this.clock.advance(Duration.ofMinutes(30));
		this.source.builds.add(build(2, 1, 0, START.plus(Duration.ofMinutes(5)), "r314-4", "3.14"));
		this.source.builds.add(build(3, 4, 0, START.plus(Duration.ofMinutes(5)), "r314-4", "3.14"));
		this.polls.pollWorkers();
		this.polls.pollBuilds();
		assertThat(this.gates.gate("fake", "3.14").orElseThrow().verdict()).isEqualTo(GateVerdict.GO);
		assertThat(this.gates.gate("fake").orElseThrow().verdict()).isEqualTo(GateVerdict.GO);
		assertThat(gauge("3.14")).isEqualTo(1.0);
		assertThat(gauge(null)).isEqualTo(1.0);
		assertThat(gauge("3.x")).isEqualTo(1.0);
		other.refresh(new Classification("fake", this.clock.instant(), this.reports.workers("fake")));
		assertThat(other.gate("fake").orElseThrow().branches())
			.isEqualTo(this.gates.gate("fake").orElseThrow().branches());
	}

	/**
	 * A branch left out (CPython's pull-request builders, tagged stable by tier like the others): its builders are in
	 * no gate, card or proposal, and its failures no longer make the master's gate no-go.
	 */
	private void anExcludedBranchIsInNoGateAndNoProposal() {
		ReleaseGates without314 = otherInstance(this.properties.withExcludedBranches(List.of(" 3.14 ")));
		without314.refresh(new Classification("fake", this.clock.instant(), this.reports.workers("fake")));
		GateReport gate = without314.gate("fake").orElseThrow();
		assertThat(gate.branches()).extracting(GateReport.BranchGate::branch).containsExactly("3.x", "main");
		assertThat(gate.verdict()).isEqualTo(GateVerdict.GO);
		assertThat(gate.stableBuilders()).isEqualTo(3);
		GateReport asked = without314.gate("fake", "3.14").orElseThrow();
		assertThat(asked.verdict()).isEqualTo(GateVerdict.NO_GO);
		assertThat(asked.notes()).singleElement()
			.asString()
			.contains("branch '3.14' is left out of the release gate", "fleet-health.gate.excluded-branches");
		StableSetProposal proposal = without314.proposal("fake").orElseThrow();
		assertThat(proposal.add()).extracting(StableSetProposal.Entry::builder).noneMatch((b) -> b.contains("3.14"));
		assertThat(proposal.remove()).extracting(StableSetProposal.Entry::builder).noneMatch((b) -> b.contains("3.14"));
	}

	private ReleaseGates otherInstance() {
		return otherInstance(this.properties);
	}

	private ReleaseGates otherInstance(GateProperties properties) {
		StaticListableBeanFactory none = new StaticListableBeanFactory();
		StableBuilders stable = new StableBuilders(this.fleet, properties,
				new GateJudgements(this.jdbc, this.transactions, this.locks), this.tags, this.classification);
		return new ReleaseGates(this.fleet, this.reports, properties,
				new GateMetrics(none.getBeanProvider(PrometheusRegistry.class)), stable, (Clock) this.clock, null,
				this.transactions.getTransactionManager(), null);
	}

	private double gauge(String branch) {
		return GateGauge.value(this.prometheus, "fake", branch);
	}

}
