package org.fleethealth.fleet.internal;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.fleethealth.fleet.FakeFleet;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of a cluster storing the same news of one master at once, as both do when each hears the master's
 * stream: the second waits for the first, then finds stored what it stored. It was a new user's finding that both
 * inserted the same builds (a duplicate key failed the poll, and the master read as down) and would have recorded
 * each disconnect twice.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:cluster-stores" })
@Import(FakeFleet.class)
class ClusterStoresTests {

	static final Instant T = Instant.parse("2026-11-27T12:00:00Z");

	@Autowired
	BuildStore builds;

	@Autowired
	WorkerStore workers;

	@Autowired
	StreamStore stream;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void twoPollsStoringTheSameBuildsStoreEachOnce() throws Exception {
		inTurn(() -> this.builds.saveBuilds("m", List.of(build(19), build(20)), 20L),
				() -> this.builds.saveBuilds("m", List.of(build(19), build(20), build(21)), 21L));
		assertThat(this.jdbc.queryForObject("select count(*) from build where master = 'm'", Integer.class))
			.isEqualTo(3);
	}

	@Test
	void aDisconnectHeardByTwoInstancesIsRecordedOnce() throws Exception {
		this.workers.saveWorkers("s", List.of(alice(true)), T);
		int before = transitions();
		inTurn(() -> this.stream.saveHeard("s", List.of(new StreamStore.Heard(alice(false), T.plusSeconds(60)))),
				() -> this.stream.saveHeard("s", List.of(new StreamStore.Heard(alice(false), T.plusSeconds(61)))));
		assertThat(transitions() - before).isEqualTo(1);
	}

	/**
	 * Runs the first store in a transaction held open until the second has started and waits for it, then lets the
	 * first commit; the second must then finish without an error.
	 */
	private void inTurn(Runnable first, Runnable second) throws Exception {
		TransactionTemplate transactions = new TransactionTemplate(this.transactionManager);
		CountDownLatch stored = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Void> one = CompletableFuture.runAsync(() -> transactions.executeWithoutResult((s) -> {
			first.run();
			stored.countDown();
			await().until(() -> release.getCount() == 0);
		}));
		assertThat(stored.await(30, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Void> two = CompletableFuture.runAsync(second);
		await().until(this::aSessionIsBlocked);
		assertThat(two).isNotDone();
		release.countDown();
		one.get(30, TimeUnit.SECONDS);
		two.get(30, TimeUnit.SECONDS);
	}

	private int transitions() {
		return this.jdbc.queryForObject("select count(*) from worker_transition", Integer.class);
	}

	private boolean aSessionIsBlocked() {
		return this.jdbc.queryForObject("select count(*) from information_schema.sessions where blocker_id is not null",
				Integer.class) > 0;
	}

	private static SourceBuild build(long id) {
		return new SourceBuild(id, (int) id, 1, 1L, T, T.plusSeconds(60), true, 0, "r" + id, "build successful");
	}

	private static SourceWorker alice(boolean connected) {
		return new SourceWorker(1, "alice", connected, Set.of(1L), "Alice <alice@example.org>", "host", "3.7.0",
				false);
	}

}
