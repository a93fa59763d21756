package org.fleethealth.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.fleethealth.MutableClock;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
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
 * Workers that went away before their planned downtime began, through the whole service: the offline clock does not
 * run inside the window, so for a worker that went away shortly before it (not offline yet) it starts at the window's
 * end. A worker offline already when the window began is not revived by it: a trial's worker dead for days read
 * healthy again after a window and was dated from its end, which a nightly window would have done every day, so it
 * was never proposed for removal. An earlier finding: a worker already gone when fleet-health first looked (so no
 * disconnect of it is known) read offline the moment a daily window ended, "not connected since ... (29m)".
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:downtimeend",
		"fake-fleet.master=lab", "fleet-health.classification.offline-after=PT2M",
		"fleet-health.downtime[0].workers=carol,dora,erin", "fleet-health.downtime[0].from=10:30",
		"fleet-health.downtime[0].to=11:00" })
@Import(FakeFleet.class)
@DirtiesContext
class DowntimeEndTests {

	static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	WorkerReports reports;

	private static SourceWorker worker(long id, String name, boolean connected) {
		return new SourceWorker(id, name, connected, Set.of(1L), name + " <" + name + "@example.org>", "host", "3.7.0",
				false);
	}

	private WorkerReport report(String name) {
		return this.reports.worker("lab", name).orElseThrow();
	}

	private void pollAt(Instant at) {
		this.clock.set(at);
		this.polls.pollWorkers();
		this.polls.pollBuilds();
	}

	@Test
	void theOfflineClockStartsWhenTheWindowEnds() {
		this.clock.set(START);
		this.source.builders = List.of(new SourceBuilder(1, "gcc", List.of("gcc"), null));
		this.source.builds.add(new SourceBuild(1, 1, 1, 2L, START.minusSeconds(600), START.minusSeconds(300), true, 0,
				"r1", "build successful"));
		this.source.builds.add(new SourceBuild(2, 2, 1, 3L, START.minusSeconds(400), START.minusSeconds(200), true, 0,
				"r1", "build successful"));
		// dora is gone when fleet-health first looks: it knows of no disconnect, only her last build.
		this.source.workers = List.of(worker(1, "alice", true), worker(2, "carol", true), worker(3, "dora", false));
		pollAt(START);
		assertThat(report("carol").state()).isEqualTo(WorkerState.HEALTHY);

		// carol goes away at 10:20, before her window (10:30 to 11:00); erin at 10:29, a minute before hers.
		this.source.workers = List.of(worker(1, "alice", true), worker(2, "carol", false), worker(3, "dora", false),
				worker(4, "erin", true));
		pollAt(START.plus(Duration.ofMinutes(20)));
		pollAt(START.plus(Duration.ofMinutes(21)));
		for (int m = 22; m < 30; m++) {
			if (m == 29) {
				this.source.workers = List.of(worker(1, "alice", true), worker(2, "carol", false),
						worker(3, "dora", false), worker(4, "erin", false));
			}
			pollAt(START.plus(Duration.ofMinutes(m)));
		}
		assertThat(report("carol").state()).isEqualTo(WorkerState.OFFLINE);
		assertThat(report("dora").state()).isEqualTo(WorkerState.OFFLINE);
		assertThat(report("erin").state()).isNotEqualTo(WorkerState.OFFLINE);
		for (int m = 30; m < 60; m += 5) {
			pollAt(START.plus(Duration.ofMinutes(m)).plusSeconds(1));
			for (String name : List.of("carol", "dora", "erin")) {
				assertThat(report(name).state()).as("%s at 10:%02d", name, m).isEqualTo(WorkerState.PAUSED);
			}
		}
		// The window ended at 11:00. carol and dora were offline before it began: offline again at once, dated from
		// when they went away, not from the window's end.
		pollAt(START.plus(Duration.ofMinutes(60)).plusSeconds(30));
		assertThat(report("carol").state()).isEqualTo(WorkerState.OFFLINE);
		assertThat(report("carol").since()).isEqualTo(START.plus(Duration.ofMinutes(20)));
		assertThat(report("carol").evidence().get(0)).startsWith("not connected since 2026-11-27T10:20:00Z");
		assertThat(report("dora").state()).isEqualTo(WorkerState.OFFLINE);
		assertThat(report("dora").evidence().get(0)).doesNotContain("11:00:00Z");
		// erin, not offline yet when it began, is not offline again before 11:02.
		WorkerReport erin = report("erin");
		assertThat(erin.state()).as(String.join("\n", erin.evidence())).isNotEqualTo(WorkerState.OFFLINE);
		assertThat(erin.evidence().toString()).contains("when its planned downtime ended");
		pollAt(START.plus(Duration.ofMinutes(61)).plusSeconds(50));
		assertThat(report("erin").state()).isNotEqualTo(WorkerState.OFFLINE);
		pollAt(START.plus(Duration.ofMinutes(62)).plusSeconds(10));
		erin = report("erin");
		assertThat(erin.state()).isEqualTo(WorkerState.OFFLINE);
		assertThat(erin.evidence().get(0)).startsWith("not connected since 2026-11-27T11:00:00Z (2m): when its planned"
				+ " downtime ended");
		assertThat(report("carol").since()).isEqualTo(START.plus(Duration.ofMinutes(20)));
	}

}
