package org.fleethealth.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.fleethealth.FleetHealthApplication;
import org.fleethealth.MutableClock;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the service while a poll waits for a master: the poll reads no further, what it read is kept, and
 * the log gets one line, no error and no stack trace. The test closes the service, so it runs a context of its
 * own rather than one the test framework caches.
 */
@ExtendWith(OutputCaptureExtension.class)
class PollShutdownTests {

	static final Instant START = Instant.parse("2026-11-27T12:00:00Z");

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	private static SourceBuild finished(long id) {
		Instant started = START.minus(Duration.ofHours(3)).plus(Duration.ofMinutes(id));
		return new SourceBuild(id, (int) id, 1, 7L, started, started.plus(Duration.ofMinutes(5)), true, 0, "rev" + id,
				"build successful");
	}

	@Test
	void stoppingInTheMiddleOfAPollEndsItQuietlyWithOneLine(CapturedOutput output) throws InterruptedException {
		this.context = new SpringApplicationBuilder(FleetHealthApplication.class, FakeFleet.class)
			.initializers((c) -> c.getBeanFactory().registerSingleton("otherTestConfigurations", new OtherTestConfigurations()))
			.run("--fleet-health.poll.enabled=false", "--spring.datasource.url=jdbc:h2:mem:poll-shutdown",
					"--fleet-health.poll.page-size=2", "--fake-fleet.master=stopping", "--server.port=0");
		FakeSource source = this.context.getBean(FakeSource.class);
		PollService polls = this.context.getBean(PollService.class);
		source.builders = List.of(new SourceBuilder(1, "gcc", List.of("gcc"), null));
		source.workers = List.of(new SourceWorker(7, "erin", true, Set.of(1L), null, "host", "3.7.0", false));
		source.builds.add(finished(1));
		polls.pollWorkers();
		polls.pollBuilds();
		for (long id = 2; id <= 9; id++) {
			source.builds.add(finished(id));
		}

		// The next builds poll waits for the master's answer, and the service is told to stop meanwhile.
		CountDownLatch asking = new CountDownLatch(1);
		CountDownLatch answer = new CountDownLatch(1);
		source.beforeAnswer = (what) -> {
			if (what.startsWith("buildsAfter")) {
				asking.countDown();
				try {
					answer.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		};
		this.context.getBean(MutableClock.class).advance(Duration.ofMinutes(2));
		int before = output.getAll().length();
		Thread poll = new Thread(polls::pollBuilds, "poll");
		poll.start();
		assertThat(asking.await(30, TimeUnit.SECONDS)).isTrue();
		Thread stop = new Thread(this.context::close, "stop");
		stop.start();
		// The master answers once the stop is under way: while it waits for the poll, or when it is done.
		await().atMost(Duration.ofSeconds(30)).until(() -> !stop.isAlive() || waitingForLifecycle(stop));
		answer.countDown();
		stop.join(30_000);
		poll.join(30_000);

		assertThat(stop.isAlive()).isFalse();
		assertThat(poll.isAlive()).isFalse();
		String log = output.getAll().substring(before);
		assertThat(log).doesNotContain("ERROR", "Exception", "\tat ");
		assertThat(log.lines().filter((line) -> line.contains(".PollRuns") || line.contains(".PollService"))).singleElement()
			.asString()
			.contains(" INFO ", "Stopped while polling builds");
		assertThat(source.calls.stream().filter((c) -> c.startsWith("builds"))).as("no page after the stop")
			.containsExactly("buildsBefore " + Long.MAX_VALUE, "buildsAfter 0");
	}

	private static boolean waitingForLifecycle(Thread thread) {
		return thread.getState() == Thread.State.TIMED_WAITING && List.of(thread.getStackTrace())
			.stream()
			.anyMatch((frame) -> frame.getClassName().contains("LifecycleProcessor"));
	}

}
