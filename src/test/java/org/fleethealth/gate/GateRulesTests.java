package org.fleethealth.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.fleethealth.gate.GateFacts.StableBuilder;
import org.fleethealth.gate.GateFacts.WorkerFacts;
import org.fleethealth.health.WorkerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The release gate rules, table-driven: blockers, concerns, passing builders and the verdict. */
class GateRulesTests {

	static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

	private final GateRules rules = new GateRules(GateProperties.defaults());

	/** How one stable builder is judged. */
	enum Judgement {

		BLOCKER, CONCERN, PASSING

	}

	static Stream<Arguments> table() {
		return Stream.of(
				// name, builder, judgement, reason fragment
				Arguments.of("green on a connected worker passes", new B().last(0, 2), Judgement.PASSING,
						"last build #7 ended in success 2h ago"),
				Arguments.of("warnings pass", new B().last(1, 2), Judgement.PASSING, "ended in warnings"),
				Arguments.of("a failure blocks, naming the step", new B().last(2, 1).step("test"), Judgement.BLOCKER,
						"last build #7 failed in step 'test' at 2026-11-27T11:00:00Z (1h ago)"),
				Arguments.of("an exception blocks", new B().last(4, 1), Judgement.BLOCKER,
						"ended in an exception"),
				Arguments.of("a failure blocks even when the worker is offline",
						new B().last(2, 1).worker(WorkerState.OFFLINE, false), Judgement.BLOCKER, "failed"),
				Arguments.of("offline but finished a build within 6h: concern",
						new B().last(0, 5).finished(5).worker(WorkerState.OFFLINE, false), Judgement.CONCERN,
						"no worker connected (carol-arm64 is offline), but it finished a build 5h ago, within PT6H"),
				Arguments.of("disconnected a moment ago, green: concern",
						new B().last(0, 1).finished(1).worker(WorkerState.HEALTHY, false), Judgement.CONCERN,
						"carol-arm64 is disconnected"),
				Arguments.of("offline and the last build is older than 6h: blocker",
						new B().last(0, 7).finished(7).worker(WorkerState.OFFLINE, false), Judgement.BLOCKER,
						"its last build finished at 2026-11-27T05:00:00Z (7h ago), more than PT6H ago"),
				Arguments.of("offline and never built: blocker", new B().worker(WorkerState.OFFLINE, false),
						Judgement.BLOCKER, "it has never finished a build"),
				Arguments.of("no worker configured at all: blocker", new B().last(0, 30).finished(30).noWorkers(),
						Judgement.BLOCKER, "no worker is configured for it"),
				Arguments.of("a cancelled build within 6h still shows the worker was there",
						new B().last(0, 20).finished(3).worker(WorkerState.OFFLINE, false), Judgement.CONCERN,
						"finished a build 3h ago"),
				Arguments.of("master silent: concern, not blocker",
						new B().last(0, 20).finished(20).worker(WorkerState.UNKNOWN, false), Judgement.CONCERN,
						"master 'lab' is not answering"),
				Arguments.of("connected but never built: concern", new B(), Judgement.CONCERN,
						"no build has passed or failed yet"),
				Arguments.of("one of two workers connected is enough",
						new B().last(0, 20).finished(20)
							.worker(WorkerState.OFFLINE, false)
							.worker("alice-debian", WorkerState.HEALTHY, true),
						Judgement.PASSING, "ended in success"),
				Arguments.of("a configured builder the master lacks: concern", new B().unknown(), Judgement.CONCERN,
						"has no current builder of that name"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("table")
	void judgesEachStableBuilder(String name, B builder, Judgement expected, String reason) {
		GateReport report = this.rules.evaluate("lab", List.of(builder.build()), NOW);
		List<GateReport.Entry> entries = switch (expected) {
			case BLOCKER -> report.blockers();
			case CONCERN -> report.concerns();
			case PASSING -> report.passing();
		};
		assertThat(entries).as(name).hasSize(1);
		assertThat(entries.get(0).reason()).as(name).contains(reason);
		assertThat(report.blockers().size() + report.concerns().size() + report.passing().size()).isEqualTo(1);
		assertThat(report.verdict()).isEqualTo((expected == Judgement.BLOCKER) ? GateVerdict.NO_GO : GateVerdict.GO);
		assertThat(report.stableBuilders()).isEqualTo(1);
	}

	@Test
	void aBlockerNamesItsLastBuildAndTheWorkerThatRanIt() {
		GateReport report = this.rules.evaluate("lab",
				List.of(new B().last(2, 1).step("test").ranBy("carol-arm64").build()), NOW);
		GateReport.Entry blocker = report.blockers().get(0);
		assertThat(blocker.builder()).isEqualTo("gcc carol-arm64");
		assertThat(blocker.stableBecause()).isEqualTo("tag");
		assertThat(blocker.worker()).isEqualTo("carol-arm64");
		assertThat(blocker.workerState()).isEqualTo(WorkerState.FAILING_BUILD);
		assertThat(blocker.lastBuild().number()).isEqualTo(7);
		assertThat(blocker.lastBuild().results()).isEqualTo(2);
		assertThat(blocker.lastBuild().result()).isEqualTo("failure");
		assertThat(blocker.lastBuild().revision()).isEqualTo("abc123");
		assertThat(blocker.lastBuild().url()).isEqualTo("http://lab/#/builders/1/builds/7");
	}

	@Test
	void goNeedsEveryStableBuilderFreeOfBlockers() {
		GateReport report = this.rules.evaluate("lab",
				List.of(new B().named("a").last(0, 1).build(),
						new B().named("b").last(0, 7).finished(7).worker(WorkerState.OFFLINE, false).build(),
						new B().named("c").last(0, 5).finished(5).worker(WorkerState.OFFLINE, false).build()),
				NOW);
		assertThat(report.verdict()).isEqualTo(GateVerdict.NO_GO);
		assertThat(report.blockers()).extracting(GateReport.Entry::builder).containsExactly("b");
		assertThat(report.concerns()).extracting(GateReport.Entry::builder).containsExactly("c");
		assertThat(report.passing()).extracting(GateReport.Entry::builder).containsExactly("a");
		assertThat(report.stableBuilders()).isEqualTo(3);
	}

	@Test
	void anEmptyStableSetIsNoGoWithANote() {
		GateReport report = this.rules.evaluate("lab", List.of(), NOW);
		assertThat(report.verdict()).isEqualTo(GateVerdict.NO_GO);
		assertThat(report.notes()).singleElement().asString().contains("tag builders 'stable'");
	}

	/** A stable builder, built up by the table. */
	static final class B {

		private String name = "gcc carol-arm64";

		private boolean known = true;

		private final List<WorkerFacts> workers = new ArrayList<>();

		private boolean defaultWorker = true;

		private GateReport.LastBuild last;

		private String ranBy;

		private Instant finished;

		B named(String name) {
			this.name = name;
			return this;
		}

		B last(int results, int hoursAgo) {
			String[] names = { "success", "warnings", "failure", "skipped", "exception", "retry", "cancelled" };
			Instant at = NOW.minus(Duration.ofHours(hoursAgo));
			this.last = new GateReport.LastBuild(7, results, names[results], "http://lab/#/builders/1/builds/7", at,
					"abc123", null);
			if (this.finished == null) {
				this.finished = at;
			}
			return this;
		}

		B step(String step) {
			this.last = new GateReport.LastBuild(this.last.number(), this.last.results(), this.last.result(),
					this.last.url(), this.last.completeAt(), this.last.revision(), step);
			return this;
		}

		B finished(int hoursAgo) {
			this.finished = NOW.minus(Duration.ofHours(hoursAgo));
			return this;
		}

		B worker(WorkerState state, boolean connected) {
			return worker("carol-arm64", state, connected);
		}

		B worker(String name, WorkerState state, boolean connected) {
			this.defaultWorker = false;
			this.workers.add(new WorkerFacts(name, state, connected));
			return this;
		}

		B noWorkers() {
			this.defaultWorker = false;
			return this;
		}

		B ranBy(String worker) {
			this.ranBy = worker;
			return this;
		}

		B unknown() {
			this.known = false;
			this.defaultWorker = false;
			return this;
		}

		StableBuilder build() {
			List<WorkerFacts> serving = new ArrayList<>(this.workers);
			if (this.defaultWorker) {
				serving.add(new WorkerFacts("carol-arm64", WorkerState.FAILING_BUILD, true));
			}
			return new StableBuilder(this.name, this.known ? "tag" : "configuration", this.known, serving, this.last,
					this.ranBy, this.finished);
		}

	}

}
