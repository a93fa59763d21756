package org.fleethealth.buildbot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.fleethealth.source.FleetProperties;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceException;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Buildbot client against answers recorded from a real Buildbot 3.7 master (see
 * {@code src/test/resources/buildbot/3.7/SCENARIO.md}), served by a local HTTP server.
 */
class BuildbotClientTests {

	private HttpServer server;

	private final Map<String, String> bodies = new ConcurrentHashMap<>();

	private final List<URI> requests = new CopyOnWriteArrayList<>();

	private final CountDownLatch never = new CountDownLatch(1);

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::handle);
		this.server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.never.countDown();
		this.server.stop(0);
	}

	private void handle(HttpExchange exchange) throws IOException {
		URI uri = exchange.getRequestURI();
		this.requests.add(uri);
		String path = uri.getPath();
		if (path.equals("/all/api/v2/hang")) {
			await();
		}
		String body = this.bodies.get(path);
		if (body == null) {
			respond(exchange, 404, "{\"error\":\"not found\"}");
			return;
		}
		if (body.startsWith("HTTP ")) {
			respond(exchange, Integer.parseInt(body.substring(5)), "oops");
			return;
		}
		if (body.equals("HANG")) {
			await();
		}
		if (body.equals("STALL")) {
			// Headers and the start of a body, then nothing.
			exchange.sendResponseHeaders(200, 1000);
			exchange.getResponseBody().write("{\"workers\": [".getBytes(StandardCharsets.UTF_8));
			exchange.getResponseBody().flush();
			await();
			return;
		}
		respond(exchange, 200, body);
	}

	private void await() {
		try {
			this.never.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private void serve(String path, String fixture) throws IOException {
		try (InputStream in = getClass().getResourceAsStream("/buildbot/3.7/" + fixture)) {
			this.bodies.put(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
	}

	private BuildbotClient client() {
		return client(Duration.ofSeconds(5));
	}

	private BuildbotClient client(Duration readTimeout) {
		// The base URL has a path, like https://buildbot.python.org/all/, and no trailing slash here on purpose.
		URI url = URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/all");
		return new BuildbotClient(new FleetProperties.Master("lab", url, null, null),
				new BuildbotProperties(Duration.ofSeconds(2), readTimeout, 500, "fleet-health-test", DataSize.ofMegabytes(1)), Clock.systemUTC());
	}

	@Test
	void readsWorkersWithConnectionStateOwnerAndWhereTheyAreConfigured() throws IOException {
		serve("/all/api/v2/workers", "workers.json");
		List<SourceWorker> workers = client().workers();
		assertThat(workers).extracting(SourceWorker::name)
			.containsExactly("dave-macos", "carol-arm64", "bob-freebsd", "alice-debian");
		SourceWorker dave = workers.get(0);
		assertThat(dave.connected()).isFalse();
		assertThat(dave.hasReportedInfo()).as("never connected").isFalse();
		assertThat(dave.configuredBuilderIds()).containsExactlyInAnyOrder(1L, 3L);
		SourceWorker carol = workers.get(1);
		assertThat(carol.connected()).isTrue();
		assertThat(carol.admin()).isEqualTo("Carol Chen <carol@example.org>");
		assertThat(carol.version()).isEqualTo("3.7.0-2");
		SourceWorker bob = workers.get(2);
		assertThat(bob.connected()).as("stopped, but known").isFalse();
		assertThat(bob.hasReportedInfo()).isTrue();
		assertThat(this.requests.get(0).getQuery()).isEqualTo("limit=500");
	}

	@Test
	void readsBuildersWithTags() throws IOException {
		serve("/all/api/v2/builders", "builders.json");
		List<SourceBuilder> builders = client().builders();
		assertThat(builders).hasSize(8);
		assertThat(builders.get(0)).isEqualTo(new SourceBuilder(1, "gcc dave-macos", List.of("gcc", "x86-64", "stable"), null));
		assertThat(this.requests.get(0).getQuery()).contains("limit=");
	}

	@Test
	void pagesBuildsByIdWithALimitAndTheRevision() throws IOException {
		serve("/all/api/v2/builds", "builds.json");
		List<SourceBuild> builds = client().buildsAfter(0, 50);
		assertThat(this.requests.get(0).getQuery())
			.isEqualTo("buildid__gt=0&order=buildid&limit=50&property=got_revision&property=branch");
		SourceBuild first = builds.get(0);
		assertThat(first.id()).isEqualTo(1);
		assertThat(first.builderId()).isEqualTo(6);
		assertThat(first.workerId()).isEqualTo(4);
		assertThat(first.results()).isZero();
		assertThat(first.complete()).isTrue();
		assertThat(first.startedAt()).isEqualTo(Instant.ofEpochSecond(1795805909));
		assertThat(first.revision()).isEqualTo("99723cd62b9894e9898c4ba1bf7bf55bbb8bbbb3");
		assertThat(builds).anySatisfy((b) -> {
			assertThat(b.results()).isEqualTo(2);
			assertThat(b.revision()).as("a failed checkout has no got_revision").isNull();
		});
	}

	@Test
	void pagesBackwardsForTheFirstBackfill() throws IOException {
		serve("/all/api/v2/builds", "builds.json");
		client().buildsBefore(Long.MAX_VALUE, 20);
		client().buildsBefore(40, 20);
		assertThat(this.requests.get(0).getQuery()).isEqualTo("order=-buildid&limit=20&property=got_revision&property=branch");
		assertThat(this.requests.get(1).getQuery())
			.isEqualTo("buildid__lt=40&order=-buildid&limit=20&property=got_revision&property=branch");
	}

	@Test
	void refreshesRunningBuildsByPrimaryKey() throws IOException {
		serve("/all/api/v2/builds", "builds.json");
		client().builds(List.of(7L, 9L));
		assertThat(this.requests.get(0).getQuery())
			.isEqualTo("buildid__eq=7&buildid__eq=9&limit=2&property=got_revision&property=branch");
	}

	@Test
	void manyRunningBuildsAreAskedForInRequestsWellWithinRequestLineLimits() throws IOException {
		serve("/all/api/v2/builds", "builds.json");
		int answered = client().builds(List.of(7L)).size();
		this.requests.clear();
		List<Long> ids = java.util.stream.LongStream.rangeClosed(1_000_000, 1_000_999).boxed().toList();
		List<SourceBuild> builds = client().builds(ids);
		// The request line is "GET <path>?<query> HTTP/1.1"; servers commonly refuse lines over 8 KB.
		assertThat(this.requests).hasSizeGreaterThan(1).allSatisfy((uri) -> {
			String line = "GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1";
			assertThat(line.length()).as(line.substring(0, 60)).isLessThanOrEqualTo(4096);
			long asked = java.util.Arrays.stream(uri.getQuery().split("&")).filter((p) -> p.startsWith("buildid__eq=")).count();
			assertThat(uri.getQuery()).contains("&limit=" + asked + "&property=got_revision");
		});
		List<Long> asked = this.requests.stream()
			.flatMap((uri) -> java.util.Arrays.stream(uri.getQuery().split("&")))
			.filter((p) -> p.startsWith("buildid__eq="))
			.map((p) -> Long.valueOf(p.substring("buildid__eq=".length())))
			.toList();
		assertThat(asked).as("each id once, in order").isEqualTo(ids);
		assertThat(builds).as("every answer kept").hasSize(this.requests.size() * answered);
	}

	@Test
	void readsTheFailingStep() throws IOException {
		serve("/all/api/v2/builds/9/steps", "steps-9.json");
		assertThat(client().steps(9)).extracting((s) -> s.name() + "=" + s.results())
			.containsExactly("worker_preparation=0", "git=0", "compile=0", "test=2");
	}

	@Test
	void gotRevisionPerCodebaseIsJoinedInCodebaseOrder() {
		// Hand-written: a build with two codebases, the shape Buildbot documents for got_revision.
		String body = """
				{"builds":[{"buildid":5,"number":1,"builderid":1,"workerid":1,"started_at":1700000000,
				"complete":true,"complete_at":1700000100,"results":0,
				"properties":{"got_revision":[{"docs":"bbb","cpython":"aaa"},"Git"]}}],"meta":{"total":1}}""";
		assertThat(BuildJson.builds(body, "test").get(0).revision()).isEqualTo("cpython=aaa,docs=bbb");
	}

	@Test
	void keepsUnknownResultCodesAndSkipsEntriesWithoutIds() {
		String body = """
				{"builds":[{"buildid":5,"number":1,"builderid":1,"workerid":1,"started_at":1700000000,
				"complete":true,"complete_at":1700000100,"results":9},{"number":2}],"meta":{"total":2}}""";
		List<SourceBuild> builds = BuildJson.builds(body, "test");
		assertThat(builds).hasSize(1);
		assertThat(builds.get(0).results()).isEqualTo(9);
	}

	@Test
	void malformedJsonIsAClearError() {
		this.bodies.put("/all/api/v2/workers", "{\"workers\": [ {\"name\": ");
		assertThatExceptionOfType(SourceException.class).isThrownBy(() -> client().workers())
			.withMessageContaining("Malformed JSON from master 'lab' (GET http://127.0.0.1:")
			.withMessageContaining("/all/api/v2/workers)");
	}

	@Test
	void anAnswerWithoutTheListSaysWhatCameInstead() {
		assertThatExceptionOfType(SourceException.class)
			.isThrownBy(() -> BuildJson.builds("{\"error\": \"not authorized\", \"builds\": 3}", "test"))
			.withMessage("Unexpected answer from test: no 'builds' list in {\"error\":\"not authorized\",\"builds\":3}");
		assertThatExceptionOfType(SourceException.class).isThrownBy(() -> BuildJson.builds("[1, 2]", "test"))
			.withMessage("Unexpected answer from test: no 'builds' list in [1,2]");
		assertThatExceptionOfType(SourceException.class).isThrownBy(() -> BuildJson.builds("{\"builds\": [{}", "test"))
			.withMessageStartingWith("Malformed JSON from test: ");
	}

	@Test
	void readsAListWhateverTheOrderOfItsFields() {
		// JSON objects are unordered: meta (with the total a complete list needs) may come first, and fields the
		// client does not read, objects and arrays among them, are skipped. Elements that are not objects are
		// skipped as those without ids are.
		String body = """
				{"meta":{"total":2},"other":{"workers":[{"workerid":9,"name":"nested"}]},
				 "workers":[{"workerid":1,"name":"a"},{"name":"no id"},null,7,"x",[],{"workerid":2,"name":"b"}],"after":[1,[2]]}""";
		assertThat(WorkerJson.workers(body, "test", 500)).extracting(SourceWorker::name).containsExactly("a", "b");
	}

	@Test
	void aWorkerListCutOffByTheLimitIsRefused() {
		// The client sends limit=500: a list that long may have been cut off by it.
		this.bodies.put("/all/api/v2/workers", workerList(500, 7000));
		assertThatExceptionOfType(SourceException.class).isThrownBy(() -> client().workers())
			.withMessageContaining("listed 500 of 7000 workers, as many as the limit sent:"
					+ " raise fleet-health.buildbot.max-list-size above 7000");
		this.bodies.put("/all/api/v2/workers", workerList(500, null));
		assertThatExceptionOfType(SourceException.class).isThrownBy(() -> client().workers())
			.withMessageContaining("listed 500 workers, as many as the limit sent");
		// As long as the limit, but meta.total says that is all.
		this.bodies.put("/all/api/v2/workers", workerList(500, 500));
		assertThat(client().workers()).hasSize(500);
	}

	@Test
	void aShorterListIsCompleteWhateverMetaTotalSays() {
		// Buildbot 4.x can answer a meta.total larger than a complete list (CPython's master does).
		this.bodies.put("/all/api/v2/workers", workerList(3, 7000));
		assertThat(client().workers()).hasSize(3);
	}

	private static String workerList(int size, Integer total) {
		StringBuilder json = new StringBuilder("{\"workers\": [");
		for (int i = 1; i <= size; i++) {
			json.append((i > 1) ? "," : "")
				.append("{\"workerid\": ").append(i).append(", \"name\": \"w").append(i)
				.append("\", \"connected_to\": []}");
		}
		return json.append("]").append((total != null) ? ", \"meta\": {\"total\": " + total + "}" : "").append("}")
			.toString();
	}

	@Test
	void readsBuildbot4AnswersWithFieldsItDoesNotKnowAndALargerMetaTotal() throws IOException {
		serve4("/all/api/v2/workers", "workers.json");
		serve4("/all/api/v2/builders", "builders.json");
		serve4("/all/api/v2/builds", "builds.json");
		serve4("/all/api/v2/builds/7001/steps", "steps.json");
		BuildbotClient client = client();

		List<SourceWorker> workers = client.workers();
		assertThat(workers).extracting(SourceWorker::name)
			.containsExactly("ware-gentoo-x86", "placeholder-ubuntu", "duo-freebsd", "url-macos", "retired-win7");
		assertThat(workers.get(0).admin()).as("trimmed").isEqualTo("Zachary Ware <zach AT example DOT org>");
		assertThat(workers.get(0).host()).isEqualTo("Gentoo Linux x86 <b>bold</b>");
		assertThat(workers.get(1).version()).isEqualTo("2025.07.13");
		assertThat(workers.get(2).paused()).isTrue();
		assertThat(workers.get(2).version()).isEqualTo("0.0.0");
		assertThat(workers.get(3).host()).isNull();
		assertThat(workers.get(4).configuredBuilderIds()).as("left the configuration").isEmpty();

		List<SourceBuilder> builders = client.builders();
		assertThat(builders).hasSize(3);
		assertThat(builders.get(1).name()).isEqualTo("AMD64 FreeBSD & <friends> \"Refleaks\" 3.x");
		assertThat(builders.get(1).tags()).containsExactly("openmp,flang", "refleak");
		assertThat(builders.get(1).description()).isEqualTo("Runs <script>alert('refleaks')</script> weekly");
		assertThat(builders.get(2).description()).isNull();

		List<SourceBuild> builds = client.buildsAfter(0, 200);
		assertThat(builds).hasSize(2);
		assertThat(builds.get(0).results()).isEqualTo(2);
		assertThat(builds.get(0).revision()).isEqualTo("99723cd62b9894e9898c4ba1bf7bf55bbb8bbbb3");
		assertThat(builds.get(1).complete()).isFalse();
		assertThat(builds.get(1).completeAt()).isNull();

		assertThat(client.steps(7001)).extracting((s) -> s.name())
			.containsExactly("worker_preparation", "git_1", "test: \"<script>\" & (all)");
	}

	private void serve4(String path, String fixture) throws IOException {
		try (InputStream in = getClass().getResourceAsStream("/buildbot/4.x/" + fixture)) {
			this.bodies.put(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
	}

	@Test
	void anAnswerWithoutTheListIsAClearError() {
		this.bodies.put("/all/api/v2/workers", "{\"error\": \"database locked\"}");
		assertThatExceptionOfType(SourceException.class).isThrownBy(() -> client().workers())
			.withMessageContaining("no 'workers' list");
	}

	@Test
	void httpErrorsAreClearErrors() {
		this.bodies.put("/all/api/v2/workers", "HTTP 503");
		assertThatExceptionOfType(SourceException.class).isThrownBy(() -> client().workers())
			.withMessageEndingWith("answered HTTP 503");
	}

	@Test
	void anUnreachableMasterIsAClearError() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		BuildbotClient client = new BuildbotClient(
				new FleetProperties.Master("gone", URI.create("http://127.0.0.1:" + port + "/"), null, null),
				new BuildbotProperties(Duration.ofSeconds(2), Duration.ofSeconds(2), 500, "fleet-health-test", DataSize.ofMegabytes(1)), Clock.systemUTC());
		assertThatExceptionOfType(SourceException.class).isThrownBy(client::workers)
			.withMessageContaining("master 'gone'")
			.withMessageContaining("ConnectException")
			.withMessageContaining("nothing listens at that address and port");
	}

	@Test
	void aHostNameThatDoesNotResolveIsToldFromAMasterThatIsDown() {
		// .invalid never resolves (RFC 2606): a mistyped host name, not a master that is down.
		BuildbotClient client = new BuildbotClient(
				new FleetProperties.Master("typo", URI.create("http://no-such-host.invalid/all/"), null, null),
				new BuildbotProperties(Duration.ofSeconds(2), Duration.ofSeconds(2), 500, "fleet-health-test", DataSize.ofMegabytes(1)), Clock.systemUTC());
		assertThatExceptionOfType(SourceException.class).isThrownBy(client::workers)
			.withMessageContaining("master 'typo'")
			.withMessageContaining("the host name does not resolve")
			.withMessageNotContaining("nothing listens");
	}

	@Test
	void aHangingMasterTimesOut() {
		this.bodies.put("/all/api/v2/workers", "HANG");
		assertThatExceptionOfType(SourceException.class)
			.isThrownBy(() -> client(Duration.ofMillis(300)).workers())
			.withMessageContaining("timed out");
	}

	@Test
	void aMasterThatStallsInTheMiddleOfAnAnswerTimesOut() {
		this.bodies.put("/all/api/v2/workers", "STALL");
		long start = System.nanoTime();
		assertThatExceptionOfType(SourceException.class)
			.isThrownBy(() -> client(Duration.ofMillis(500)).workers())
			.withMessageContaining("timed out");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void logsInWhenCredentialsAreConfigured() throws IOException {
		serve("/all/api/v2/workers", "workers.json");
		this.server.createContext("/all/auth/login", (exchange) -> {
			String auth = exchange.getRequestHeaders().getFirst("Authorization");
			boolean ok = ("Basic " + java.util.Base64.getEncoder().encodeToString("bot:secret".getBytes()))
				.equals(auth);
			if (ok) {
				exchange.getResponseHeaders().add("Set-Cookie", "TWISTED_SESSION=abc; Path=/");
			}
			respond(exchange, ok ? 200 : 403, "");
		});
		URI url = URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/all/");
		BuildbotClient client = new BuildbotClient(new FleetProperties.Master("lab", url, "bot", "secret"),
				new BuildbotProperties(Duration.ofSeconds(2), Duration.ofSeconds(2), 500, "fleet-health-test", DataSize.ofMegabytes(1)), Clock.systemUTC());
		assertThat(client.workers()).hasSize(4);
		BuildbotClient wrong = new BuildbotClient(new FleetProperties.Master("lab", url, "bot", "nope"),
				new BuildbotProperties(Duration.ofSeconds(2), Duration.ofSeconds(2), 500, "fleet-health-test", DataSize.ofMegabytes(1)), Clock.systemUTC());
		assertThatExceptionOfType(SourceException.class).isThrownBy(wrong::workers)
			.withMessageContaining("Login to master 'lab' as 'bot' was refused: HTTP 403");
	}

	@Test
	void aHugeAnswerIsDroppedUnread() {
		this.bodies.put("/all/api/v2/workers", "{\"workers\": [" + "{\"name\": \"x\"},".repeat(120_000) + "{}]}");
		assertThatExceptionOfType(SourceException.class).isThrownBy(() -> client().workers())
			.withMessageContaining("sent more than 1048576B (fleet-health.buildbot.max-response-size)");
	}

	@Test
	void linksToBuildsOnTheWebUi() {
		assertThat(client().buildUrl(6, 3)).endsWith("/all/#/builders/6/builds/3");
	}

}
