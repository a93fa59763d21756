package org.fleethealth.system;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.fleethealth.MutableClock;
import org.fleethealth.fleet.FakeFleet;
import org.fleethealth.fleet.FakeSource;
import org.fleethealth.fleet.PollService;
import org.fleethealth.health.WorkersClassified;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reaction that throws neither stops the other reactions to the same event nor is lost: it stays in the event
 * publication registry as failed, and {@link EventRetries} runs it again once its wait is over (B6).
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:event-retries" })
@Import({ FakeFleet.class, EventRetriesTests.Config.class })
@DirtiesContext
class EventRetriesTests {

	static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	EventRetries retries;

	@Autowired
	EventProperties properties;

	@Autowired
	FlakyReaction flaky;

	@Autowired
	PrometheusMeterRegistry prometheus;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void aFailedReactionLeavesTheOthersAloneAndIsRunAgain() {
		this.source.workers = List.of(new SourceWorker(1, "alice", true, Set.of(1L), "Alice <alice@example.org>",
				"host", "4.2.1", false));
		this.source.builders = List.of(new SourceBuilder(1, "gcc alice", List.of("gcc"), null));
		this.source.builds.add(new SourceBuild(10, 1, 1, 1L, START.minusSeconds(600), START.minusSeconds(300), true, 0,
				"r1", "build successful"));

		this.polls.pollWorkers();
		this.polls.pollBuilds();

		// It ran first, threw, and the metrics were still refreshed from the same classification.
		assertThat(this.flaky.calls()).isEqualTo(1);
		assertThat(this.prometheus.scrape()).contains("fleet_worker_state{master=\"fake\",state=\"healthy\",worker=\"alice\"} 1");
		assertThat(failed()).as("kept as failed in the registry").isEqualTo(1);

		// Not before its wait is over.
		this.flaky.heal();
		this.retries.retry();
		assertThat(this.flaky.calls()).isEqualTo(1);

		this.clock.advance(this.properties.retryAfter());
		this.retries.retry();
		assertThat(this.flaky.calls()).isEqualTo(2);
		assertThat(this.jdbc.queryForObject("select count(*) from event_publication", Integer.class))
			.as("every reaction completed, and completed ones are deleted")
			.isZero();
	}

	private int failed() {
		return this.jdbc.queryForObject(
				"select count(*) from event_publication where status = 'FAILED' and listener_id like '%FlakyReaction%'",
				Integer.class);
	}

	/** A reaction of another module that fails until told otherwise; ordered first so the others come after it. */
	static class FlakyReaction {

		private final AtomicInteger calls = new AtomicInteger();

		private volatile boolean failing = true;

		// Methods, not fields: the bean is a proxy (@Async).
		int calls() {
			return this.calls.get();
		}

		void heal() {
			this.failing = false;
		}

		@ApplicationModuleListener
		@Order(Ordered.HIGHEST_PRECEDENCE)
		void on(WorkersClassified classified) {
			this.calls.incrementAndGet();
			if (this.failing) {
				throw new IllegalStateException("the reaction's store is down");
			}
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Config {

		@Bean
		FlakyReaction flakyReaction() {
			return new FlakyReaction();
		}

	}

}
