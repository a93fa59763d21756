package org.fleethealth.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.fleethealth.MutableClock;
import org.fleethealth.fleet.FakeFleet;
import org.fleethealth.fleet.FakeSource;
import org.fleethealth.fleet.PollService;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fleet without a stable tag (LLVM's 212 builders) had an empty stable set, so its gate read no-go until someone
 * tagged builders: {@code stable-builders-by-master.<master>=*} makes every builder of that master stable, but
 * those on an excluded branch, and is not itself a builder the master lacks.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:everystable",
		"fleet-health.gate.stable-builders-by-master.fake=*", "fleet-health.gate.excluded-branches=PullRequest",
		"fleet-health.classification.branch-tags=main,PullRequest" })
@Import(FakeFleet.class)
@DirtiesContext
class EveryBuilderStableTests {

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	ReleaseGates gates;

	@Test
	void everyBuilderOfTheMasterIsStableButThoseOnAnExcludedBranch() {
		Instant now = this.clock.instant();
		source.workers = List.of(
				new SourceWorker(1, "alice", true, Set.of(1L, 2L, 3L), "Alice <alice@example.org>", "host", "3.7.0",
						false));
		source.builders = List.of(new SourceBuilder(1, "clang-x86_64", List.of("main"), null),
				new SourceBuilder(2, "lld-aarch64", List.of("main"), null),
				new SourceBuilder(3, "clang-pr", List.of("PullRequest"), null));
		long id = 1;
		for (int i = 0; i < 12; i++) {
			Instant started = now.minus(Duration.ofHours(6L * (12 - i)));
			for (long builder = 1; builder <= 3; builder++) {
				source.builds.add(new SourceBuild(id, (int) id, builder, 1L, started, started.plusSeconds(60), true,
						(builder == 2 && i == 11) ? 2 : 0, "rev" + i, "done"));
				id++;
			}
		}
		this.polls.pollWorkers();
		this.polls.pollBuilds();

		GateReport gate = this.gates.gate("fake").orElseThrow();
		assertThat(gate.stableBuilders()).isEqualTo(2);
		assertThat(gate.verdict()).isEqualTo(GateVerdict.NO_GO);
		assertThat(gate.blockers()).singleElement()
			.satisfies((b) -> assertThat(b.builder()).isEqualTo("lld-aarch64"));
		assertThat(gate.passing()).singleElement()
			.satisfies((p) -> assertThat(p.builder()).isEqualTo("clang-x86_64"));
		assertThat(gate.concerns()).as("'*' is no builder the master lacks").isEmpty();
		assertThat(this.gates.proposal("fake").orElseThrow().remove()).extracting(StableSetProposal.Entry::builder)
			.doesNotContain("*");
	}

}
