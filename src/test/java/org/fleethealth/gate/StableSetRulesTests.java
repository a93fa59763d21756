package org.fleethealth.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.fleethealth.gate.GateFacts.Candidate;
import org.fleethealth.gate.GateFacts.WorkerFacts;
import org.fleethealth.health.WorkerState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The stable-set proposal, table-driven: who earned a place, who lost it, and why. */
class StableSetRulesTests {

	static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

	private final StableSetRules rules = new StableSetRules(GateProperties.defaults());

	/** Where a builder ends up in the proposal. */
	enum Outcome {

		ADD, REMOVE, NONE

	}

	static Stream<Arguments> table() {
		return Stream.of(
				// name, candidate, outcome, reason fragment
				Arguments.of("ten green builds over a week on a healthy worker: add", new C().green(10), Outcome.ADD,
						"all 10 builds within 7d passed"),
				Arguments.of("warnings count as green", new C().results(1, 10), Outcome.ADD, "served by healthy carol"),
				Arguments.of("nine builds are not enough", new C().green(9), Outcome.NONE, null),
				Arguments.of("one failure is enough to stay out", new C().green(12).results(2, 1), Outcome.NONE, null),
				Arguments.of("too young", new C().green(20).since(Duration.ofDays(3)), Outcome.NONE, null),
				Arguments.of("unhealthy worker", new C().green(20).worker(WorkerState.FLAKY_HOST), Outcome.NONE, null),
				Arguments.of("already stable and still green: nothing to do", new C().stable().green(10), Outcome.NONE,
						null),
				Arguments.of("stable but failing: remove", new C().stable().green(8).results(2, 3), Outcome.REMOVE,
						"3 of 11 builds within 7d failed"),
				Arguments.of("stable, failing on a broken host: remove, naming the host",
						new C().stable().green(10).results(2, 2).hostFailures("carol", 2).worker(WorkerState.FLAKY_HOST),
						Outcome.REMOVE,
						"2 of its builds failed on carol (flaky-host) and are counted against that host: fix the host, "
								+ "or take it off this builder"),
				// Staying takes less than joining (stable-max-failures, 1 by default): a trial proposed 83 stable
				// builders for removal for one failed test each.
				Arguments.of("stable with one failure: stays", new C().stable().green(10).results(2, 1), Outcome.NONE,
						null),
				Arguments.of("stable with two failures: remove, saying what is allowed",
						new C().stable().green(10).results(2, 2), Outcome.REMOVE,
						"2 of 12 builds within 7d failed (a stable builder may have 1: "
								+ "fleet-health.gate.stable-max-failures)"),
				Arguments.of("stable, one failure put down to the host of a failing-build worker: stays",
						new C().stable().green(93).results(2, 1).hostFailures("carol", 1)
							.worker(WorkerState.FAILING_BUILD), Outcome.NONE, null),
				Arguments.of("stable, one failure put down to a host that is healthy: stays",
						new C().stable().green(10).results(2, 1).hostFailures("carol", 1), Outcome.NONE, null),
				Arguments.of("stable and green on a flaky-host worker: remove", new C().stable().green(10)
					.worker(WorkerState.FLAKY_HOST), Outcome.REMOVE, "worker carol is flaky-host"),
				// What its worker does elsewhere, on purpose or unseen, says nothing about this builder.
				Arguments.of("stable and green, its worker failing another builder: stays",
						new C().stable().green(10).worker(WorkerState.FAILING_BUILD), Outcome.NONE, null),
				Arguments.of("stable and green, its worker paused: stays",
						new C().stable().green(10).worker(WorkerState.PAUSED), Outcome.NONE, null),
				Arguments.of("stable and green, its master not answering: stays",
						new C().stable().green(10).worker(WorkerState.UNKNOWN), Outcome.NONE, null),
				Arguments.of("not stable, green, its worker failing another builder: not added",
						new C().green(10).worker(WorkerState.FAILING_BUILD), Outcome.NONE, null),
				Arguments.of("stable on a pool with one worker offline: stays",
						new C().stable().green(10).worker(WorkerState.OFFLINE).alsoOn(WorkerState.HEALTHY), Outcome.NONE,
						null),
				Arguments.of("stable on a pool with every worker offline: remove",
						new C().stable().green(10).worker(WorkerState.OFFLINE).alsoOn(WorkerState.OFFLINE),
						Outcome.REMOVE, "all 2 workers that serve it have been offline for 7d or longer"),
				Arguments.of("stable on a worker offline for 2h: stays",
						new C().stable().green(10).worker(WorkerState.OFFLINE).stateSince(Duration.ofHours(2)),
						Outcome.NONE, null),
				Arguments.of("stable on a worker offline for 7d: remove",
						new C().stable().green(10).worker(WorkerState.OFFLINE).stateSince(Duration.ofDays(7)),
						Outcome.REMOVE, "worker carol has been offline for 7d or longer"),
				Arguments.of("stable but hardly builds: remove", new C().stable().green(4), Outcome.REMOVE,
						"only 4 builds within 7d (at least 10 needed)"),
				Arguments.of("stable on an offline worker: remove", new C().stable().green(10).worker(WorkerState.OFFLINE),
						Outcome.REMOVE, "worker carol has been offline for 7d or longer"),
				Arguments.of("stable but new: remove", new C().stable().green(10).since(Duration.ofDays(2)),
						Outcome.REMOVE, "building only since 2026-11-25T12:00:00Z, less than 7d"),
				Arguments.of("stable without worker: remove", new C().stable().green(10).noWorkers(), Outcome.REMOVE,
						"no worker serves it"),
				Arguments.of("configured stable but unknown: remove", new C().stable().unknown(), Outcome.REMOVE,
						"has no current builder of that name"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("table")
	void proposes(String name, C candidate, Outcome expected, String reason) {
		StableSetProposal proposal = this.rules.propose("lab", List.of(candidate.build()), NOW);
		List<StableSetProposal.Entry> entries = switch (expected) {
			case ADD -> proposal.add();
			case REMOVE -> proposal.remove();
			case NONE -> List.of();
		};
		assertThat(proposal.add().size() + proposal.remove().size()).as(name).isEqualTo(entries.size());
		if (reason != null) {
			assertThat(entries).singleElement().satisfies((e) -> assertThat(e.reasons()).anyMatch((r) -> r.contains(reason)));
		}
		assertThat(proposal.stableAfter()).isEqualTo("P7D");
		assertThat(proposal.minBuilds()).isEqualTo(10);
	}

	/** A builder that might belong in the stable set, built up by the table. */
	static final class C {

		private String stableBecause;

		private boolean known = true;

		private final List<Integer> results = new ArrayList<>();

		private Instant first = NOW.minus(Duration.ofDays(10));

		private WorkerState state = WorkerState.HEALTHY;

		private boolean workers = true;

		private WorkerState secondWorker;

		private Instant stateSince;

		private final Map<String, Integer> hostFailures = new LinkedHashMap<>();

		C stable() {
			this.stableBecause = "tag";
			return this;
		}

		C green(int n) {
			return results(0, n);
		}

		C results(int code, int n) {
			this.results.addAll(Collections.nCopies(n, code));
			return this;
		}

		C since(Duration ago) {
			this.first = NOW.minus(ago);
			return this;
		}

		C worker(WorkerState state) {
			this.state = state;
			return this;
		}

		C hostFailures(String worker, int n) {
			this.hostFailures.put(worker, n);
			return this;
		}

		/** A second worker, dave, serves it too (a pool). */
		C alsoOn(WorkerState state) {
			this.secondWorker = state;
			return this;
		}

		/** Since when its workers are in their state (not known unless given). */
		C stateSince(Duration ago) {
			this.stateSince = NOW.minus(ago);
			return this;
		}

		C noWorkers() {
			this.workers = false;
			return this;
		}

		C unknown() {
			this.known = false;
			this.stableBecause = "configuration";
			return this;
		}

		Candidate build() {
			List<WorkerFacts> serving = new ArrayList<>();
			if (this.workers) {
				serving.add(new WorkerFacts("carol", this.state, true, List.of(), this.stateSince));
			}
			if (this.secondWorker != null) {
				serving.add(new WorkerFacts("dave", this.secondWorker, true, List.of(), this.stateSince));
			}
			return new Candidate("gcc carol", this.stableBecause, this.known, serving, this.results, this.first,
					this.hostFailures);
		}

	}

}
