package org.fleethealth.quarantine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fleethealth.fleet.FleetBuild;
import org.fleethealth.fleet.FleetBuilder;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.FleetWorker;
import org.fleethealth.gate.ReleaseGates;
import org.fleethealth.health.BuilderTags;
import org.fleethealth.health.ClassificationProperties;
import org.fleethealth.quarantine.QuarantineRules.Case;
import org.fleethealth.quarantine.QuarantineRules.Failure;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * A round's valve cases read the master's fleet and the window's builds once, however many workers it proposes, and
 * each case is what a case read on its own would be.
 */
class QuarantineFactsTests {

	private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

	private final FleetQueries fleet = mock(FleetQueries.class);

	private final ReleaseGates gates = mock(ReleaseGates.class);

	private final QuarantineFacts facts = new QuarantineFacts(this.fleet,
			new BuilderTags(ClassificationProperties.defaults()), this.gates, ClassificationProperties.defaults(),
			QuarantineProperties.defaults());

	@Test
	void aRoundReadsTheFleetOnceForEveryCaseItAsksFor() {
		List<FleetWorker> workers = new ArrayList<>();
		List<FleetBuild> builds = new ArrayList<>();
		for (int i = 1; i <= 50; i++) {
			workers.add(worker(i, "w" + i));
			// each worker: one host failure on its own builder class, one pass of the same revision by a peer
			builds.add(build(i, 1, i, 2, "rev" + i));
			builds.add(build(1000 + i, 1, (i % 50) + 1, 0, "rev" + i));
		}
		// and w9 failed w7's revision too
		builds.add(build(3000, 1, 9, 2, "rev7"));
		when(this.fleet.workers("lab")).thenReturn(workers);
		when(this.fleet.builders("lab")).thenReturn(List.of(new FleetBuilder("lab", 1, "linux gcc",
				List.of("gcc", "linux"), null, true, null, null)));
		when(this.fleet.buildsStartedSince(eq("lab"), any())).thenReturn(builds);

		QuarantineFacts.Cases cases = this.facts.cases("lab", Map.of(), NOW);
		List<Case> asked = new ArrayList<>();
		for (int i = 1; i <= 50; i++) {
			asked.add(cases.of("w" + i, Set.of()));
		}

		verify(this.fleet, times(1)).workers("lab");
		verify(this.fleet, times(1)).builders("lab");
		verify(this.fleet, times(1)).buildsStartedSince(eq("lab"), any());
		Case w7 = asked.get(6);
		assertThat(w7.hostFailures()).singleElement().satisfies((f) -> {
			assertThat(f.builder()).isEqualTo("linux gcc");
			assertThat(f.revision()).isEqualTo("rev7");
		});
		// rev7 passed on w8, a peer; rev6 passed on w7 itself, which is no peer's pass
		assertThat(w7.peerPasses()).containsEntry("rev7", Set.of("w8")).doesNotContainKey("rev6");
		// Only the revisions of its own host failures are looked up among its peers' builds.
		assertThat(w7.peerFailures()).containsOnlyKeys("rev7");
		assertThat(w7.peerFailures().get("rev7")).extracting(Failure::worker).containsExactly("w9");
		assertThat(w7.classMembers().values()).allSatisfy((m) -> assertThat(m).hasSize(50));
		// the same case as one read by a round that asks for it alone
		assertThat(this.facts.cases("lab", Map.of(), NOW).of("w7", Set.of())).isEqualTo(w7);
	}

	private static FleetWorker worker(long id, String name) {
		return new FleetWorker(id, "lab", name, id, true, true, true, false, null, null, NOW, NOW, NOW, null,
				name + " <" + name + "@example.org>", "host", "4.2.0", Set.of(1L), null, Set.of(), Set.of(1L), NOW,
				null);
	}

	private static FleetBuild build(long id, long builder, long worker, int results, String revision) {
		Instant started = NOW.minusSeconds(3600 + id);
		return new FleetBuild("lab", id, (int) id, builder, worker, started, started.plusSeconds(60), true, results,
				revision, "done", (results == 2) ? "compile" : null, null);
	}

}
