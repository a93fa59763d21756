package org.fleethealth.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.fleethealth.MutableClock;
import org.fleethealth.health.WorkersClassified;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rounds asked for while a round of the same master waits to start are covered by it: a master heard live asks for
 * a round with every batch of changes, faster than a large fleet is judged, and the asks must not pile up behind the
 * running round (each held a thread of the task executor, and the metrics waited behind them).
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:round-coalescing" })
@Import({ FakeFleet.class, RoundCoalescingTests.Blocker.class })
@DirtiesContext
class RoundCoalescingTests {

	@Autowired
	FakeSource source;

	@Autowired
	PollService polls;

	@Autowired
	Blocker blocker;

	@Autowired
	MutableClock clock;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void asksWhileARoundWaitsAreCoveredByItAndDoNotQueue() throws InterruptedException {
		Instant started = PollShutdownTests.START.minus(Duration.ofHours(3));
		this.source.builders = List.of(new SourceBuilder(1, "gcc", List.of("gcc"), null));
		this.source.workers = List.of(new SourceWorker(7, "erin", true, Set.of(1L), null, "host", "3.7.0", false));
		this.source.builds.add(new SourceBuild(1, 1, 1, 7L, started, started.plus(Duration.ofMinutes(5)), true, 0,
				"rev1", "build successful"));
		this.polls.pollWorkers();
		this.polls.pollBuilds();

		// A round runs and is held in the middle (its verdicts stored, not committed yet).
		this.blocker.arm();
		Thread running = new Thread(this::heard, "running round");
		running.start();
		assertThat(this.blocker.held.await(30, TimeUnit.SECONDS)).isTrue();

		// Five batches heard meanwhile: the first waits to run a round after it, the other four are covered by it.
		List<Thread> asks = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			Thread ask = new Thread(this::heard, "ask " + i);
			asks.add(ask);
			ask.start();
		}
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(asks.stream().filter((t) -> !t.isAlive())).hasSize(4));

		this.blocker.release();
		running.join(30_000);
		for (Thread ask : asks) {
			ask.join(30_000);
		}
		assertThat(asks.stream().filter(Thread::isAlive)).isEmpty();
		assertThat(this.blocker.rounds.get()).as("the held round and the one that waited").isEqualTo(2);
	}

	private void heard() {
		this.transactions.executeWithoutResult(
				(status) -> this.events.publishEvent(new FleetHeard("fake", this.clock.instant(), 1, List.of())));
	}

	/** Holds the first round after {@link #arm()} until {@link #release()}, and counts the rounds from there. */
	static class Blocker {

		final CountDownLatch held = new CountDownLatch(1);

		final AtomicInteger rounds = new AtomicInteger();

		private final CountDownLatch go = new CountDownLatch(1);

		private volatile boolean armed;

		void arm() {
			this.armed = true;
		}

		void release() {
			this.go.countDown();
		}

		@EventListener
		void onClassified(WorkersClassified classified) throws InterruptedException {
			if (!this.armed) {
				return;
			}
			if (this.rounds.getAndIncrement() == 0) {
				this.held.countDown();
				this.go.await(30, TimeUnit.SECONDS);
			}
		}

	}

}
