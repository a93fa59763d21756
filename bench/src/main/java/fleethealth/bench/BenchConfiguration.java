package fleethealth.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.fleethealth.fleet.FleetPolled;
import org.fleethealth.health.WorkersClassified;
import org.springframework.boot.task.ThreadPoolTaskExecutorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

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
	 * Counts the service's asynchronous reactions in flight (classification, metrics, gate, pruning, quarantine,
	 * mail), so that a cycle ends when the last of them has. They run on the service's own task executor, as in
	 * service: concurrently, off the poll thread.
	 */
	@Bean
	Reactions reactions() {
		return new Reactions();
	}

	/**
	 * On the application task executor only: not a {@code TaskDecorator} bean, which Spring Boot would apply to the
	 * task scheduler as well, where a periodic task is decorated once and ends every period.
	 */
	@Bean
	ThreadPoolTaskExecutorCustomizer countReactions(Reactions reactions) {
		return (executor) -> executor.setTaskDecorator(reactions::decorate);
	}

	/** The reactions in flight on the service's task executor. */
	static final class Reactions {

		private int inFlight;

		Runnable decorate(Runnable task) {
			synchronized (this) {
				this.inFlight++;
			}
			return () -> {
				try {
					task.run();
				}
				finally {
					synchronized (this) {
						this.inFlight--;
						notifyAll();
					}
				}
			};
		}

		/**
		 * Waits until no reaction runs or waits to run. A reaction that publishes an event submits the next one
		 * before it ends, so none falls between the counts.
		 *
		 * @throws IllegalStateException when some are still running after {@code timeout}
		 */
		synchronized void awaitIdle(Duration timeout) throws InterruptedException {
			long end = System.nanoTime() + timeout.toNanos();
			while (this.inFlight > 0) {
				long left = end - System.nanoTime();
				if (left <= 0) {
					throw new IllegalStateException(this.inFlight + " reactions still running after " + timeout);
				}
				wait(Math.max(1, left / 1_000_000));
			}
		}

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
