package org.fleethealth.fleet.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A master's state row is made once, whoever polls it first: both poll jobs, on one instance or on several
 * instances of a cluster, may meet a new master at once. Losing that race is expected, so it must not be logged as
 * a database error (ClusterIT looks for "duplicate key" in every instance's log).
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:master-store" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class MasterStoreTests {

	@Autowired
	MasterStore store;

	@Autowired
	JdbcTemplate jdbc;

	private int rows(String name) {
		return this.jdbc.queryForObject("select count(*) from master_state where name = ?", Integer.class, name);
	}

	@Test
	void makesTheRowOnceAndKeepsTheConfiguredUrl() {
		MasterState first = this.store.master("once", "http://127.0.0.1:8010/");
		MasterState again = this.store.master("once", "http://127.0.0.1:8011/");

		assertThat(again.getId()).isEqualTo(first.getId());
		assertThat(rows("once")).isEqualTo(1);
		assertThat(this.jdbc.queryForObject("select url from master_state where name = 'once'", String.class))
			.isEqualTo("http://127.0.0.1:8011/");
	}

	@Test
	void aRowAnotherInstanceMadeFirstIsReadQuietly(CapturedOutput output) {
		// Another instance inserted the row after this one found none.
		this.jdbc.update("insert into master_state (name, url) values ('raced', 'http://127.0.0.1:8010/')");

		this.store.create("raced", "http://127.0.0.1:8010/");

		assertThat(rows("raced")).isEqualTo(1);
		assertThat(this.store.master("raced", "http://127.0.0.1:8010/").getName()).isEqualTo("raced");
		assertThat(output).doesNotContain("duplicate key").doesNotContain("Unique index");
	}

	@Test
	void twoPollsMeetingNewMastersAtOnceMakeOneRowEach(CapturedOutput output) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			for (int m = 0; m < 20; m++) {
				String name = "new-" + m;
				CyclicBarrier together = new CyclicBarrier(2);
				List<Future<Long>> ids = new ArrayList<>();
				for (int t = 0; t < 2; t++) {
					ids.add(threads.submit(() -> {
						together.await();
						return this.store.master(name, "http://127.0.0.1:8010/").getId();
					}));
				}
				assertThat(ids.get(0).get()).isEqualTo(ids.get(1).get());
				assertThat(rows(name)).isEqualTo(1);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(output).doesNotContain("duplicate key").doesNotContain("Unique index");
	}

}
