package org.fleethealth.buildbot;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.fleethealth.source.FleetProperties;
import org.fleethealth.source.SourceAccessDeniedException;
import org.fleethealth.source.SourceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Pausing and unpausing workers through Buildbot's JSON-RPC ({@code POST /api/v2/workers/{id}}), against a local
 * HTTP server that answers as Buildbot 3.7 does: the call, a login where credentials are configured, and
 * refusals (401/403) told apart from other failures.
 */
class BuildbotControlTests {

	private HttpServer server;

	private final List<String> posts = new CopyOnWriteArrayList<>();

	/** What {@code /api/v2/workers/2} answers: a status and a body. */
	private volatile int status = 200;

	private volatile String answer = "{\"id\":1,\"jsonrpc\":\"2.0\",\"result\":null}";

	private volatile boolean needsSession;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/all/api/v2/workers/2", this::control);
		this.server.createContext("/all/auth/login", (exchange) -> {
			boolean ok = ("Basic " + Base64.getEncoder().encodeToString("bot:secret".getBytes(StandardCharsets.UTF_8)))
				.equals(exchange.getRequestHeaders().getFirst("Authorization"));
			if (ok) {
				exchange.getResponseHeaders().add("Set-Cookie", "TWISTED_SESSION=abc; Path=/");
			}
			respond(exchange, ok ? 200 : 401, "");
		});
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	private void control(HttpExchange exchange) throws IOException {
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		this.posts.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " "
				+ body);
		String cookie = exchange.getRequestHeaders().getFirst("Cookie");
		if (this.needsSession && (cookie == null || !cookie.contains("TWISTED_SESSION=abc"))) {
			respond(exchange, 403, "{\"error\":{\"code\":-32603,\"message\":\"you need to have role 'admins'\"}}");
			return;
		}
		respond(exchange, this.status, this.answer);
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private BuildbotClient client(String user, String password) {
		URI url = URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/all/");
		return new BuildbotClient(new FleetProperties.Master("lab", url, user, password),
				new BuildbotProperties(Duration.ofSeconds(2), Duration.ofSeconds(2), 500, "fleet-health-test",
						DataSize.ofMegabytes(1)),
				Clock.systemUTC());
	}

	@Test
	void pausesAndUnpausesWithJsonRpcAndTheReason() {
		BuildbotClient client = client(null, null);
		client.pause(2, "quarantined by fleet-health: proposal #3: \"flaky\"");
		client.unpause(2, "released by maintainer");
		assertThat(this.posts).containsExactly(
				"POST application/json {\"jsonrpc\":\"2.0\",\"method\":\"pause\",\"params\":{\"reason\":"
						+ "\"quarantined by fleet-health: proposal #3: \\\"flaky\\\"\"},\"id\":1}",
				"POST application/json {\"jsonrpc\":\"2.0\",\"method\":\"unpause\",\"params\":{\"reason\":"
						+ "\"released by maintainer\"},\"id\":1}");
	}

	@Test
	void aMasterWithoutALoginForUsRefusesWithAccessDenied() {
		this.needsSession = true;
		assertThatExceptionOfType(SourceAccessDeniedException.class).isThrownBy(() -> client(null, null).pause(2, "x"))
			.withMessageContaining("was refused (HTTP 403)")
			.withMessageContaining("set fleet-health.masters[N].username and .password");
	}

	@Test
	void logsInFirstWhereCredentialsAreConfigured() {
		this.needsSession = true;
		client("bot", "secret").pause(2, "x");
		assertThat(this.posts).hasSize(1);
		assertThatExceptionOfType(SourceAccessDeniedException.class)
			.isThrownBy(() -> client("bot", "wrong").pause(2, "x"))
			.withMessageContaining("Login to master 'lab' as 'bot' was refused: HTTP 401");
	}

	@Test
	void aJsonRpcErrorIsAFailureButNotAccessDenied() {
		this.status = 404;
		this.answer = "{\"error\":{\"code\":-32602,\"message\":\"worker not found\"},\"id\":1,\"jsonrpc\":\"2.0\"}";
		assertThatExceptionOfType(SourceException.class).isThrownBy(() -> client(null, null).unpause(2, "x"))
			.isNotInstanceOf(SourceAccessDeniedException.class)
			.withMessageContaining("answered HTTP 404: worker not found");
	}

}
