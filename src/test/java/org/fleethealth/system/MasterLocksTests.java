package org.fleethealth.system;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.fleethealth.fleet.FakeFleet;
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
 * Two transactions that work on the same master, as two instances of a cluster would (B5): the second waits for
 * the first to end; another master, or another scope of the same master, does not wait.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:locks" })
@Import(FakeFleet.class)
class MasterLocksTests {

	@Autowired
	MasterLocks locks;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void aSecondRoundOfTheSameMasterWaitsForTheFirst() throws Exception {
		TransactionTemplate transactions = new TransactionTemplate(this.transactionManager);
		CountDownLatch locked = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transactions.executeWithoutResult((s) -> {
			this.locks.lock(MasterLocks.CLASSIFICATION, "python");
			locked.countDown();
			await().until(() -> release.getCount() == 0);
		}));
		assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();

		// Another master is not held up, nor another scope of the same master.
		transactions.executeWithoutResult((s) -> this.locks.lock(MasterLocks.CLASSIFICATION, "llvm"));
		transactions.executeWithoutResult((s) -> this.locks.lock(MasterLocks.BUILDS, "python"));

		CompletableFuture<Void> second = CompletableFuture
			.runAsync(() -> transactions.executeWithoutResult((s) -> this.locks.lock(MasterLocks.CLASSIFICATION, "python")));
		await().until(this::aSessionIsBlocked);
		assertThat(second).isNotDone();

		release.countDown();
		first.get(30, TimeUnit.SECONDS);
		second.get(30, TimeUnit.SECONDS);
	}

	private boolean aSessionIsBlocked() {
		return this.jdbc.queryForObject("select count(*) from information_schema.sessions where blocker_id is not null",
				Integer.class) > 0;
	}

}
