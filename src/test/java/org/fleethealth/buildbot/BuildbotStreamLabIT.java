package org.fleethealth.buildbot;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.fleethealth.e2e.Lab;
import org.fleethealth.source.BuildResult;
import org.fleethealth.source.FleetProperties;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceStream;
import org.fleethealth.source.SourceStreamStatus.State;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.util.FileSystemUtils;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The WebSocket event stream on a real Buildbot 3.7 master ({@code scripts/lab}): a worker stopped and started, a
 * worker paused, a commit's builds and a master restart arrive as the events they are, and say what the REST API
 * says. It asserts what was seen, never how fast.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuildbotStreamLabIT {

	private static final Path DIR = Path.of("target/stream-it");

	private static final Duration PATIENCE = Duration.ofMinutes(2);

	private final BuildbotStreamTests.Recorder events = new BuildbotStreamTests.Recorder();

	private Lab lab;

	private BuildbotClient client;

	private SourceStream stream;

	@BeforeAll
	void start() throws java.io.IOException {
		FileSystemUtils.deleteRecursively(DIR);
		this.lab = new Lab(DIR.resolve("lab"));
		String url = this.lab.up();
		BuildbotProperties properties = new BuildbotProperties(Duration.ofSeconds(5), Duration.ofSeconds(30), 500,
				"fleet-health-it", DataSize.ofMegabytes(32), true, Duration.ofSeconds(5), Duration.ofSeconds(1),
				Duration.ofSeconds(5));
		this.client = new BuildbotClient(new FleetProperties.Master("lab", URI.create(url), null, null), properties,
				Clock.systemUTC());
		this.stream = this.client.stream().orElseThrow();
		this.stream.start(this.events);
		await().atMost(PATIENCE).until(() -> this.stream.status().state() == State.UP);
	}

	@AfterAll
	void stop() {
		if (this.stream != null) {
			this.stream.close();
		}
		if (this.lab != null) {
			this.lab.close();
		}
	}

	private SourceWorker awaitWorkerEvent(String what, String name, int from) {
		await().atMost(PATIENCE).until(() -> index(what, name, from) >= 0);
		return this.events.workers.get(workerIndex(index(what, name, from)));
	}

	/** The position in the log of the first "what name..." line at or after {@code from}, or -1. */
	private int index(String what, String name, int from) {
		List<String> log = this.events.log;
		for (int i = from; i < log.size(); i++) {
			if (log.get(i).startsWith(what + " " + name)) {
				return i;
			}
		}
		return -1;
	}

	/** Worker events are logged in the order they are kept: the n-th worker line is the n-th worker kept. */
	private int workerIndex(int logIndex) {
		int n = -1;
		for (int i = 0; i <= logIndex; i++) {
			String line = this.events.log.get(i);
			if (line.startsWith("connected ") || line.startsWith("disconnected ") || line.startsWith("state ")) {
				n++;
			}
		}
		return n;
	}

	@Test
	@Order(1)
	void aStoppedAndStartedWorkerArrivesAsDisconnectedThenConnected() {
		int from = this.events.log.size();
		this.lab.run("stop-worker", "bob-freebsd");
		SourceWorker gone = awaitWorkerEvent("disconnected", "bob-freebsd", from);
		assertThat(gone.connected()).isFalse();
		assertThat(gone.connectedTo()).isEmpty();
		assertThat(gone.admin()).isEqualTo("Bob Builder <bob@example.org>");
		assertThat(gone.configuredBuilderIds()).hasSize(2);

		this.lab.run("start-worker", "bob-freebsd");
		SourceWorker back = awaitWorkerEvent("connected", "bob-freebsd", index("disconnected", "bob-freebsd", from));
		assertThat(back.connected()).isTrue();
		assertThat(back.connectedTo()).hasSize(1);
		assertThat(back.id()).isEqualTo(gone.id());
		// What the stream said is what the REST API says now.
		SourceWorker rest = this.client.workers()
			.stream()
			.filter((w) -> w.name().equals("bob-freebsd"))
			.findFirst()
			.orElseThrow();
		assertThat(rest.connected()).isTrue();
		assertThat(rest.configuredBuilderIds()).isEqualTo(back.configuredBuilderIds());
		assertThat(this.events.workerTimes).doesNotContainNull();
	}

	@Test
	@Order(2)
	void aPausedWorkerArrivesAsAStateUpdate() {
		int from = this.events.log.size();
		this.lab.run("pause-worker", "carol-arm64", "--reason", "stream test");
		await().atMost(PATIENCE).until(() -> index("state", "carol-arm64 paused", from) >= 0);
		this.lab.run("unpause-worker", "carol-arm64");
		int paused = index("state", "carol-arm64 paused", from);
		await().atMost(PATIENCE).until(() -> this.events.log.subList(paused + 1, this.events.log.size())
			.contains("state carol-arm64"));
	}

	@Test
	@Order(3)
	void aCommitsBuildsArriveAsStartedAndFinishedWithWhatTheRestApiSays() {
		int from = this.events.builds.size();
		this.lab.run("commit", "stream test");
		this.lab.run("wait-idle");
		// Every builder of a connected worker built the commit: alice's, bob's and carol's two each.
		Set<Long> builders = this.client.workers()
			.stream()
			.filter(SourceWorker::connected)
			.flatMap((w) -> w.configuredBuilderIds().stream())
			.collect(Collectors.toSet());
		assertThat(builders).hasSize(6);
		await().atMost(PATIENCE).until(() -> finished(from).keySet().containsAll(builders));
		Map<Long, SourceBuild> finished = finished(from);
		List<SourceBuild> started = this.events.builds.subList(from, this.events.builds.size())
			.stream()
			.filter((b) -> !b.complete())
			.toList();
		assertThat(started).extracting(SourceBuild::builderId).containsAll(builders);
		Map<Long, SourceBuild> rest = this.client
			.builds(finished.values().stream().map(SourceBuild::id).toList())
			.stream()
			.collect(Collectors.toMap(SourceBuild::id, Function.identity()));
		for (SourceBuild build : finished.values()) {
			assertThat(build.complete()).isTrue();
			assertThat(BuildResult.of(build.results())).isEqualTo(BuildResult.SUCCESS);
			assertThat(started).anySatisfy((s) -> assertThat(s.id()).isEqualTo(build.id()));
			SourceBuild same = rest.get(build.id());
			assertThat(same.results()).isEqualTo(build.results());
			assertThat(same.completeAt()).isEqualTo(build.completeAt());
			assertThat(same.workerId()).isEqualTo(build.workerId());
			assertThat(same.number()).isEqualTo(build.number());
		}
	}

	/** The finished builds seen since {@code from}, by builder. */
	private Map<Long, SourceBuild> finished(int from) {
		return this.events.builds.subList(from, this.events.builds.size())
			.stream()
			.filter(SourceBuild::complete)
			.collect(Collectors.toMap(SourceBuild::builderId, Function.identity(), (a, b) -> b));
	}

	@Test
	@Order(4)
	void aRestartedMasterDropsTheStreamAndItComesBackByItself() {
		int downs = this.events.downs.size();
		int ups = this.events.upAt.size();
		this.lab.run("restart-master");
		await().atMost(PATIENCE).until(() -> this.events.downs.size() > downs && this.events.upAt.size() > ups);
		assertThat(this.events.downs.get(downs).state()).isEqualTo(State.DOWN);
		int from = this.events.log.size();
		this.lab.run("stop-worker", "alice-debian");
		SourceWorker gone = awaitWorkerEvent("disconnected", "alice-debian", from);
		assertThat(gone.connected()).isFalse();
		this.lab.run("start-worker", "alice-debian");
		awaitWorkerEvent("connected", "alice-debian", from);
		assertThat(this.stream.status().state()).isEqualTo(State.UP);
	}

}
