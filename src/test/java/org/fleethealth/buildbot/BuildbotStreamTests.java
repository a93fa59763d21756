package org.fleethealth.buildbot;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.fleethealth.MutableClock;
import org.fleethealth.source.FleetProperties;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceStream;
import org.fleethealth.source.SourceStreamListener;
import org.fleethealth.source.SourceStreamStatus;
import org.fleethealth.source.SourceStreamStatus.State;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The Buildbot WebSocket stream against a local WebSocket server that answers as a 3.7 master does, replaying
 * events recorded from a real one ({@code buildbot/3.7/ws-events.jsonl}, see {@code SCENARIO.md}).
 */
class BuildbotStreamTests {

	private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

	private static final Duration NO_PINGS = Duration.ofHours(1);

	private final MutableClock clock = new MutableClock(NOW);

	private final WebSocketMaster master = new WebSocketMaster();

	private final Recorder events = new Recorder();

	private SourceStream stream;

	@AfterEach
	void stop() {
		if (this.stream != null) {
			this.stream.close();
		}
		this.master.close();
	}

	private SourceStream stream(Duration pingInterval) {
		return stream(this.master.base(), null, null, pingInterval, DataSize.ofMegabytes(1));
	}

	private SourceStream stream(URI base, String username, String password, Duration pingInterval,
			DataSize maxMessage) {
		BuildbotProperties properties = new BuildbotProperties(Duration.ofSeconds(2), Duration.ofSeconds(2), 500,
				"fleet-health-test", maxMessage, true, pingInterval, Duration.ofMillis(50), Duration.ofMillis(400));
		BuildbotClient client = new BuildbotClient(new FleetProperties.Master("lab", base, username, password),
				properties, this.clock);
		this.stream = client.stream().orElseThrow();
		return this.stream;
	}

	private SourceStream started(Duration pingInterval) {
		SourceStream stream = stream(pingInterval);
		stream.start(this.events);
		await().until(() -> stream.status().state() == State.UP);
		return stream;
	}

	private static List<String> recorded() throws IOException {
		try (InputStream in = BuildbotStreamTests.class.getResourceAsStream("/buildbot/3.7/ws-events.jsonl")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
		}
	}

	private static String recorded(String key) throws IOException {
		return recorded().stream().filter((l) -> l.contains("\"k\":\"" + key + "\"")).findFirst().orElseThrow();
	}

	@Test
	void subscribesToWorkersAndBuildsAndIsUpOnceTheMasterAcknowledgedBoth() {
		SourceStream stream = stream(NO_PINGS);
		assertThat(stream.status().state()).isEqualTo(State.NEW);
		stream.start(this.events);
		await().until(() -> this.events.log.contains("up"));
		assertThat(this.master.received).hasSize(2);
		assertThat(this.master.received.get(0)).isEqualTo("{\"cmd\":\"startConsuming\",\"path\":\"workers/*/*\",\"_id\":1}");
		assertThat(this.master.received.get(1)).isEqualTo("{\"cmd\":\"startConsuming\",\"path\":\"builds/*/*\",\"_id\":2}");
		assertThat(stream.status()).isEqualTo(new SourceStreamStatus(State.UP, NOW, null));
		assertThat(this.events.upAt).containsExactly(NOW);
		assertThat(this.master.upgradeCookies).containsExactly("");
		assertThatIllegalStateException().isThrownBy(() -> stream.start(this.events));
	}

	@Test
	void deliversConnectsDisconnectsStateUpdatesAndBuildsAsTheMasterSentThem() throws IOException {
		started(NO_PINGS);
		this.clock.set(NOW.plusSeconds(7));
		recorded().forEach(this.master::push);
		await().until(() -> this.events.log.size() >= 18);
		// The recording (SCENARIO.md): bob stopped and started, carol paused and unpaused, six builds of one commit.
		// The 'update' events (a new state string) are not passed on.
		assertThat(this.events.log).containsExactly("up", "disconnected bob-freebsd", "connected bob-freebsd",
				"state bob-freebsd", "state carol-arm64 paused", "state carol-arm64", "started 1", "started 2",
				"started 3", "started 4", "started 5", "started 6", "finished 1 0", "finished 2 0", "finished 3 0",
				"finished 4 0", "finished 5 0", "finished 6 0");

		SourceWorker gone = this.events.workers.get(0);
		assertThat(gone.id()).isEqualTo(1);
		assertThat(gone.connected()).isFalse();
		assertThat(gone.configuredBuilderIds()).containsExactlyInAnyOrder(2L, 7L);
		assertThat(gone.admin()).isEqualTo("Bob Builder <bob@example.org>");
		SourceWorker back = this.events.workers.get(1);
		assertThat(back.connected()).isTrue();
		assertThat(back.connectedTo()).containsExactly(1L);
		assertThat(back.version()).isEqualTo("3.7.0-2");
		assertThat(this.events.workerTimes).allMatch(NOW.plusSeconds(7)::equals);

		SourceBuild started = this.events.builds.get(0);
		assertThat(started.id()).isEqualTo(1);
		assertThat(started.builderId()).isEqualTo(1);
		assertThat(started.workerId()).isEqualTo(2L);
		assertThat(started.complete()).isFalse();
		assertThat(started.results()).isNull();
		assertThat(started.startedAt()).isEqualTo(Instant.ofEpochSecond(1795990880));
		SourceBuild finished = this.events.builds.get(6);
		assertThat(finished.id()).isEqualTo(1);
		assertThat(finished.complete()).isTrue();
		assertThat(finished.completeAt()).isEqualTo(Instant.ofEpochSecond(1795990884));
		assertThat(finished.stateString()).isEqualTo("build successful");
		assertThat(finished.revision()).as("build events carry no properties").isNull();
		assertThat(this.stream.status().state()).isEqualTo(State.UP);
	}

	@Test
	void keepsTheConnectionAliveWithBuildbotsPingCommand() {
		// A ping is given as long to be answered as the interval: long enough here for a loaded machine (a CI run
		// beside other work dropped a 50 ms one).
		SourceStream stream = started(Duration.ofMillis(250));
		await().until(() -> this.master.commands().stream().filter("ping"::equals).count() >= 4);
		List<String> pings = this.master.received.stream().filter((m) -> m.contains("\"ping\"")).toList();
		assertThat(pings.get(0)).isEqualTo("{\"cmd\":\"ping\",\"_id\":3}");
		assertThat(pings.get(1)).isEqualTo("{\"cmd\":\"ping\",\"_id\":4}");
		assertThat(stream.status().state()).isEqualTo(State.UP);
		assertThat(this.events.downs).isEmpty();
		assertThat(this.master.connections).hasValue(1);
	}

	@Test
	void aConnectionThatAnswersNoPingIsDroppedAndReplaced() {
		this.master.answerPings = false;
		started(Duration.ofMillis(50));
		await().until(() -> this.events.log.contains("up") && this.events.log.lastIndexOf("up") > 0);
		assertThat(this.events.downs.get(0).state()).isEqualTo(State.DOWN);
		assertThat(this.events.downs.get(0).reason()).isEqualTo("no answer to a ping within PT0.05S");
		assertThat(this.master.connections.get()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void skipsMalformedAndUnknownMessagesAndGoesOn() throws IOException {
		started(NO_PINGS);
		String connected = recorded("workers/1/connected");
		this.master.push("this is not JSON");
		this.master.push("[1, 2]");
		this.master.push("{\"k\":\"workers/1/connected\",\"m\":{\"name\":\"no id\"}}");
		this.master.push("{\"k\":\"workers/1/connected\"}");
		this.master.push("{\"k\":\"builds/9/finished\",\"m\":{\"buildid\":\"nine\"}}");
		this.master.push("{\"k\":\"changes/4/new\",\"m\":{}}");
		this.master.push("{\"k\":\"workers/1/exploded\",\"m\":{}}");
		this.master.push("{\"k\":\"builders/3/builds/1/new\",\"m\":{}}");
		this.master.push("{\"msg\":\"OK\",\"code\":200,\"_id\":77}");
		this.master.push("{\"error\":\"something\",\"code\":500,\"_id\":78}");
		this.master.push("{\"hello\":\"there\"}");
		this.master.push(recorded("workers/1/disconnected").replace("/disconnected\"", "/missing\""));
		this.master.push(connected);
		await().until(() -> this.events.log.contains("connected bob-freebsd"));
		assertThat(this.events.log).containsExactly("up", "connected bob-freebsd");
		assertThat(this.stream.status().state()).isEqualTo(State.UP);
		assertThat(this.master.connections).hasValue(1);
	}

	@Test
	void aMessageLargerThanTheLimitIsSkipped() throws IOException {
		SourceStream stream = stream(this.master.base(), null, null, NO_PINGS, DataSize.ofBytes(2000));
		stream.start(this.events);
		await().until(() -> stream.status().state() == State.UP);
		this.master.push("{\"k\":\"workers/1/connected\",\"m\":{\"workerid\":1,\"name\":\"big\",\"workerinfo\":{\"host\":\""
				+ "x".repeat(5000) + "\"}}}");
		this.master.push(recorded("workers/1/connected"));
		await().until(() -> this.events.log.contains("connected bob-freebsd"));
		assertThat(this.events.log).containsExactly("up", "connected bob-freebsd");
	}

	@Test
	void aListenerThatThrowsDoesNotStopTheStream() throws IOException {
		this.events.failOn = "disconnected";
		started(NO_PINGS);
		this.master.push(recorded("workers/1/disconnected"));
		this.master.push(recorded("workers/1/connected"));
		await().until(() -> this.events.log.contains("connected bob-freebsd"));
		assertThat(this.events.log).containsExactly("up", "disconnected bob-freebsd", "connected bob-freebsd");
		assertThat(this.stream.status().state()).isEqualTo(State.UP);
	}

	@Test
	void reconnectsWithADoublingWaitWhileTheMasterKeepsClosingUpToTheLongest() {
		this.master.closeAfterSubscribing = true;
		SourceStream stream = stream(NO_PINGS);
		stream.start(this.events);
		await().until(() -> this.events.waits.size() >= 5);
		assertThat(this.events.waits.subList(0, 5)).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100),
				Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(400));
		assertThat(this.events.downs).allMatch((d) -> d.state() == State.DOWN);
		assertThat(this.events.downs.get(0).reason()).isEqualTo("the master closed the connection (code 1001: bye)");
		this.master.closeAfterSubscribing = false;
		int downs = this.events.downs.size();
		await().until(() -> stream.status().state() == State.UP && this.master.open() == 1);
		assertThat(this.master.connections.get()).isGreaterThanOrEqualTo(downs + 1);
	}

	@Test
	void comesBackAfterTheMasterDropsItAndWaitsTheShortestTimeAfterAConnectionThatAnsweredPings() throws IOException {
		this.master.closeAfterSubscribing = true;
		SourceStream stream = stream(Duration.ofMillis(250));
		stream.start(this.events);
		await().until(() -> this.events.waits.size() >= 3);
		this.master.closeAfterSubscribing = false;
		await().until(() -> stream.status().state() == State.UP);
		// Three pings sent means the first was answered (a fourth is sent only after hearing something).
		int before = this.master.commands().size();
		await().until(() -> this.master.commands().size() >= before + 3);
		int downs = this.events.downs.size();
		this.master.dropAll();
		await().until(() -> this.events.downs.size() > downs);
		assertThat(this.events.downs.get(downs).reason())
			.isEqualTo("the master closed the connection (code 1001: master shutting down)");
		assertThat(this.events.waits.get(downs)).isEqualTo(Duration.ofMillis(50));
		await().until(() -> stream.status().state() == State.UP);
		this.master.push(recorded("workers/1/connected"));
		await().until(() -> this.events.log.contains("connected bob-freebsd"));
	}

	@Test
	void aRefusedUpgradeMeansTheStreamIsUnavailableAndPollingIsAllThereIs() {
		this.master.refuseUpgradeWith = 404;
		SourceStream stream = stream(NO_PINGS);
		stream.start(this.events);
		await().until(() -> !this.events.downs.isEmpty());
		SourceStreamStatus down = this.events.downs.get(0);
		assertThat(down.state()).isEqualTo(State.UNAVAILABLE);
		assertThat(down.reason()).isEqualTo("ws://127.0.0.1:" + this.master.base().getPort() + "/all/ws answered HTTP 404 to the WebSocket upgrade");
		assertThat(down.since()).isEqualTo(NOW);
		assertThat(this.events.waits.get(0)).as("asked again after the longest wait").isEqualTo(Duration.ofMillis(400));
		assertThat(stream.status()).isEqualTo(down);
		assertThat(this.events.log).doesNotContain("up");
		assertThat(((BuildbotStream) stream).uri())
			.isEqualTo(URI.create("ws://127.0.0.1:" + this.master.base().getPort() + "/all/ws"));
	}

	@Test
	void aMasterThatWantsALoginNoneIsConfiguredForIsUnavailable() {
		this.master.requireCookie = true;
		SourceStream stream = stream(NO_PINGS);
		stream.start(this.events);
		await().until(() -> !this.events.downs.isEmpty());
		assertThat(this.events.downs.get(0).state()).isEqualTo(State.UNAVAILABLE);
		assertThat(this.events.downs.get(0).reason()).contains("HTTP 403")
			.contains("configure fleet-health.masters[N].username and password");
	}

	@Test
	void aGatewayErrorWhileTheMasterRestartsIsOnlyDown() {
		this.master.refuseUpgradeWith = 502;
		SourceStream stream = stream(NO_PINGS);
		stream.start(this.events);
		await().until(() -> this.events.downs.size() >= 2);
		assertThat(this.events.downs).allMatch((d) -> d.state() == State.DOWN);
		assertThat(this.events.waits.subList(0, 2)).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
		this.master.refuseUpgradeWith = 0;
		await().until(() -> stream.status().state() == State.UP);
	}

	@Test
	void logsInAndSendsTheSessionCookieWithTheUpgrade() {
		this.master.requireCookie = true;
		SourceStream stream = stream(this.master.base(), "bot", "secret", NO_PINGS, DataSize.ofMegabytes(1));
		stream.start(this.events);
		await().until(() -> stream.status().state() == State.UP);
		assertThat(this.master.logins).hasValue(1);
		assertThat(this.master.upgradeCookies).containsExactly(WebSocketMaster.COOKIE);
	}

	@Test
	void aRefusedSubscriptionMeansUnavailable() {
		this.master.refuseSubscriptions = true;
		SourceStream stream = stream(NO_PINGS);
		stream.start(this.events);
		await().until(() -> !this.events.downs.isEmpty());
		assertThat(this.events.downs.get(0).state()).isEqualTo(State.UNAVAILABLE);
		assertThat(this.events.downs.get(0).reason())
			.isEqualTo("the master refused the subscription to 'workers/*/*': \"invalid path format 'workers/*/*'\" (code 400)");
	}

	@Test
	void anUnreachableMasterIsDownAndTriedAgain() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		SourceStream stream = stream(URI.create("http://127.0.0.1:" + port + "/"), null, null, NO_PINGS,
				DataSize.ofMegabytes(1));
		stream.start(this.events);
		await().until(() -> this.events.downs.size() >= 1);
		this.clock.advance(Duration.ofSeconds(30));
		await().until(() -> this.events.downs.size() >= 3);
		assertThat(this.events.downs.get(0).state()).isEqualTo(State.DOWN);
		assertThat(this.events.downs.get(0).reason())
			.startsWith("could not connect to ws://127.0.0.1:" + port + "/ws: ConnectException")
			.contains("nothing listens at that address and port");
		// Down since the first failure, while it is tried again, not since the last attempt.
		assertThat(this.events.downs).extracting(SourceStreamStatus::since).containsOnly(NOW);
		assertThat(stream.status().state()).isEqualTo(State.DOWN);
		assertThat(stream.status().since()).isEqualTo(NOW);
	}

	@Test
	void afterCloseNothingMoreArrivesAndNothingReconnects() throws IOException {
		SourceStream stream = started(NO_PINGS);
		stream.close();
		assertThat(stream.status().state()).isEqualTo(State.CLOSED);
		await().until(() -> this.master.open() == 0);
		this.master.push(recorded("workers/1/connected"));
		assertThat(this.master.connections).hasValue(1);
		assertThat(this.events.log).containsExactly("up");
		assertThat(this.events.downs).isEmpty();
		stream.close();
		assertThatIllegalStateException().isThrownBy(() -> stream.start(this.events));
	}

	@Test
	void oneStreamPerMasterAndNoneWhenDisabled() {
		BuildbotProperties on = new BuildbotProperties(Duration.ofSeconds(2), Duration.ofSeconds(2), 500, "test",
				DataSize.ofMegabytes(1));
		BuildbotClient client = new BuildbotClient(new FleetProperties.Master("lab", this.master.base(), null, null), on,
				this.clock);
		assertThat(client.stream()).isPresent();
		assertThat(client.stream().get()).isSameAs(client.stream().get());
		BuildbotProperties off = new BuildbotProperties(Duration.ofSeconds(2), Duration.ofSeconds(2), 500, "test",
				DataSize.ofMegabytes(1), false, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMinutes(5));
		assertThat(new BuildbotClient(new FleetProperties.Master("lab", this.master.base(), null, null), off, this.clock)
			.stream()).isEmpty();
		assertThat(BuildbotStream.webSocketUri(URI.create("https://buildbot.python.org/all/")))
			.isEqualTo(URI.create("wss://buildbot.python.org/all/ws"));
		assertThat(BuildbotStream.webSocketUri(URI.create("http://lab.llvm.org:8011")))
			.isEqualTo(URI.create("ws://lab.llvm.org:8011/ws"));
	}

	/** Writes down what the stream says, in order. */
	static final class Recorder implements SourceStreamListener {

		final List<String> log = new CopyOnWriteArrayList<>();

		final List<SourceWorker> workers = new CopyOnWriteArrayList<>();

		final List<Instant> workerTimes = new CopyOnWriteArrayList<>();

		final List<SourceBuild> builds = new CopyOnWriteArrayList<>();

		final List<Instant> upAt = new CopyOnWriteArrayList<>();

		final List<SourceStreamStatus> downs = new CopyOnWriteArrayList<>();

		final List<Duration> waits = new CopyOnWriteArrayList<>();

		volatile String failOn;

		private void worker(String what, SourceWorker worker, Instant at) {
			this.workers.add(worker);
			this.workerTimes.add(at);
			this.log.add(what + " " + worker.name() + (worker.paused() ? " paused" : ""));
			if (what.equals(this.failOn)) {
				throw new IllegalStateException("listener bug");
			}
		}

		@Override
		public void workerConnected(SourceWorker worker, Instant receivedAt) {
			worker("connected", worker, receivedAt);
		}

		@Override
		public void workerDisconnected(SourceWorker worker, Instant receivedAt) {
			worker("disconnected", worker, receivedAt);
		}

		@Override
		public void workerStateUpdated(SourceWorker worker, Instant receivedAt) {
			worker("state", worker, receivedAt);
		}

		@Override
		public void buildStarted(SourceBuild build, Instant receivedAt) {
			this.builds.add(build);
			this.log.add("started " + build.id());
		}

		@Override
		public void buildFinished(SourceBuild build, Instant receivedAt) {
			this.builds.add(build);
			this.log.add("finished " + build.id() + " " + build.results());
		}

		@Override
		public void streamUp(Instant at) {
			this.upAt.add(at);
			this.log.add("up");
		}

		@Override
		public void streamDown(SourceStreamStatus status, Duration retryIn) {
			this.downs.add(status);
			this.waits.add(retryIn);
		}

	}

}
