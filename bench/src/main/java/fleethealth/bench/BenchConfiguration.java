package fleethealth.bench;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.fleethealth.fleet.FleetPolled;
import org.fleethealth.health.WorkersClassified;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.task.SyncTaskExecutor;

/**
 * What the benchmark adds to the real application context: the fake master's clock (so "now" follows the
 * synthetic fleet) and a probe that timestamps the phases of a poll round from the events the service
 * publishes anyway.
 */
@Configuration(proxyBeanMethods = false)
class BenchConfiguration {

	@Bean
	@Primary
	BenchClock benchClock() {
		return new BenchClock();
	}

	@Bean
	PhaseProbe phaseProbe() {
		return new PhaseProbe();
	}

	/**
	 * Runs the reactions to events (classification, metrics, gate, pruning) right after each commit on the
	 * committing thread, so a cycle times the whole chain from the poll to the metrics, as before they became
	 * asynchronous: an upper bound of the service's latency, which runs them on its task executor.
	 */
	@Bean
	SyncTaskExecutor taskExecutor() {
		return new SyncTaskExecutor();
	}

	/** A clock the harness sets to the synthetic fleet's time. */
	static final class BenchClock extends Clock {

		private volatile Instant now = Instant.EPOCH;

		void set(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

	/**
	 * Runs first among the listeners: {@code polled} is when fetching and storing ended and classification
	 * starts; {@code classified} is when verdicts are stored and reports read, before the metrics snapshot.
	 */
	static final class PhaseProbe {

		volatile long polled;

		volatile long classified;

		volatile int classifications;

		@EventListener
		@Order(Ordered.HIGHEST_PRECEDENCE)
		void onPolled(FleetPolled event) {
			this.polled = System.nanoTime();
		}

		@EventListener
		@Order(Ordered.HIGHEST_PRECEDENCE)
		void onClassified(WorkersClassified event) {
			this.classified = System.nanoTime();
			this.classifications++;
		}

	}

}
