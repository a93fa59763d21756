package org.fleethealth.fleet.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.fleethealth.fleet.BuildSummary;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.source.SourceBuild;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory window of recent builds answers exactly what the database holds: after this instance's writes
 * (applied as they commit), after another instance's (read again), and as the window moves on.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:build-windows" })
@DirtiesContext
class BuildWindowsTests {

	static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

	@Autowired
	MasterStore masterStore;

	@Autowired
	BuildStore store;

	@Autowired
	FleetQueries fleet;

	@Autowired
	BuildWindows windows;

	@Autowired
	Builds builds;

	@Autowired
	JdbcTemplate jdbc;

	private String master;

	private static int masters;

	@BeforeEach
	void master() {
		this.master = "window-" + (++masters);
		this.masterStore.master(this.master, "http://" + this.master + ".invalid/");
	}

	@Test
	void readsTheDatabaseOnlyWhenAnotherWriterChangedIt() {
		this.store.saveBuilds(this.master, List.of(build(1, NOW.minus(Duration.ofHours(3)), 0), build(2,
				NOW.minus(Duration.ofHours(2)), 2)), 2L);
		Instant since = NOW.minus(Duration.ofDays(7));
		long loads = this.windows.loads();
		assertThat(this.fleet.buildSummariesSince(this.master, since)).hasSize(2);
		assertThat(this.windows.loads()).isEqualTo(loads + 1);

		// Nothing written: from memory. This instance's writes: applied to the window as they commit.
		assertThat(this.fleet.buildSummariesSince(this.master, since)).hasSize(2);
		this.store.saveBuilds(this.master, List.of(build(3, NOW.minus(Duration.ofHours(1)), 2)), 3L);
		this.store.saveFailingSteps(this.master, Map.of(2L, "git", 3L, "test"));
		assertThat(sorted(this.fleet.buildSummariesSince(this.master, since))).isEqualTo(stored(since));
		assertThat(stored(since)).extracting(BuildSummary::failingStep).containsExactly(null, "git", "test");
		assertThat(this.windows.loads()).as("no read of the database").isEqualTo(loads + 1);

		// Another instance stores a failing step: its transaction moves the version, this window is read again.
		this.jdbc.update("update build set failing_step = 'compile' where master = ? and buildbot_id = 1", this.master);
		this.jdbc.update("update master_state set builds_version = builds_version + 1 where name = ?", this.master);
		assertThat(sorted(this.fleet.buildSummariesSince(this.master, since))).isEqualTo(stored(since))
			.extracting(BuildSummary::failingStep)
			.containsExactly("compile", "git", "test");
		assertThat(this.windows.loads()).isEqualTo(loads + 2);

		// A window asked for further back than it holds is read again; a later start only drops builds.
		assertThat(this.fleet.buildSummariesSince(this.master, NOW.minus(Duration.ofMinutes(150)))).hasSize(2);
		assertThat(this.fleet.buildSummariesSince(this.master, NOW.minus(Duration.ofDays(30)))).hasSize(3);
		assertThat(this.windows.loads()).isEqualTo(loads + 3);
	}

	@Test
	void matchesTheDatabaseThroughRandomWrites() {
		Random random = new Random(7);
		Map<Long, SourceBuild> master = new LinkedHashMap<>();
		Instant now = NOW;
		long nextId = 1;
		int compared = 0;
		for (int round = 0; round < 60; round++) {
			now = now.plus(Duration.ofMinutes(random.nextInt(240)));
			List<SourceBuild> page = new ArrayList<>();
			// New builds (some started before the window), and builds seen running that finished since.
			for (int i = random.nextInt(30); i > 0; i--) {
				Instant started = now.minus(Duration.ofMinutes(random.nextInt(60 * 24 * 9)));
				SourceBuild b = random.nextInt(3) == 0 ? running(nextId++, started) : build(nextId++, started,
						random.nextInt(7));
				master.put(b.id(), b);
				page.add(b);
			}
			for (SourceBuild b : List.copyOf(master.values())) {
				if (!b.complete() && random.nextInt(2) == 0) {
					SourceBuild done = build(b.id(), b.startedAt(), random.nextInt(7));
					master.put(b.id(), done);
					page.add(done);
				}
			}
			if (!page.isEmpty()) {
				this.store.saveBuilds(this.master, page, nextId - 1);
			}
			Map<Long, String> steps = new LinkedHashMap<>();
			master.keySet().stream().filter((id) -> random.nextInt(8) == 0).forEach((id) -> steps.put(id, "step-" + id));
			this.store.saveFailingSteps(this.master, steps);
			if (random.nextInt(6) == 0) {
				// Another instance's write.
				this.jdbc.update("update build set failing_step = 'other' where master = ? and buildbot_id = ?",
						this.master, 1 + random.nextInt((int) nextId));
				this.jdbc.update("update master_state set builds_version = builds_version + 1 where name = ?",
						this.master);
			}
			Instant since = now.minus(Duration.ofDays(random.nextInt(10) == 0 ? 8 : 7));
			assertThat(sorted(this.fleet.buildSummariesSince(this.master, since))).as("round %d", round)
				.isEqualTo(stored(since));
			compared += stored(since).size();
		}
		assertThat(compared).isGreaterThan(5_000);
	}

	private List<BuildSummary> stored(Instant since) {
		return sorted(this.builds.summariesStartedSince(this.master, since));
	}

	private static List<BuildSummary> sorted(List<BuildSummary> builds) {
		return builds.stream().sorted(Comparator.comparingLong(BuildSummary::id)).toList();
	}

	private static SourceBuild build(long id, Instant started, int results) {
		return new SourceBuild(id, (int) id, 1 + id % 3, (id % 5 == 0) ? null : 10 + id % 4, started,
				started.plus(Duration.ofMinutes(20)), true, results, (id % 7 == 0) ? null : "rev" + id % 4,
				"finished");
	}

	private static SourceBuild running(long id, Instant started) {
		return new SourceBuild(id, (int) id, 1 + id % 3, 10 + id % 4, started, null, false, null, "rev" + id % 4,
				"building");
	}

}
