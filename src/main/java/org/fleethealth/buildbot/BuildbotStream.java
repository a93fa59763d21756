package org.fleethealth.buildbot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceException;
import org.fleethealth.source.SourceStream;
import org.fleethealth.source.SourceStreamListener;
import org.fleethealth.source.SourceStreamStatus;
import org.fleethealth.source.SourceStreamStatus.State;
import org.fleethealth.source.SourceWorker;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Buildbot master's WebSocket ({@code /ws}, Buildbot 3.7 and 4.x): subscribes to {@code workers/*}{@code /*} and
 * {@code builds/*}{@code /*} with {@code startConsuming}, turns the pushed events into listener calls (the
 * {@code m} payloads parsed by {@link BuildbotJson}, as the REST answers), keeps the connection alive with
 * Buildbot's {@code ping} command, and reconnects after a failure with a doubling wait. Built on the JDK's
 * {@link WebSocket} client, sharing the REST client's {@link HttpClient} (and so the session cookie of
 * {@code /auth/login} where the master has credentials).
 *
 * <p>
 * Bounded: one message is read at a time and the next only after the listener returned (the JDK client reads no
 * further meanwhile, so TCP pushes back on the master); a message larger than {@code max-response-size} is
 * skipped. A message that is not JSON, or an event this class does not know, is logged once per kind and skipped.
 *
 * <p>
 * Thread-safe. One lock guards the state and every listener call, so calls never overlap and nothing of a
 * connection reaches the listener after the {@code streamDown} that ended it. Connecting and the pings run on one
 * scheduler thread of this stream; events arrive on the HTTP client's threads.
 */
final class BuildbotStream implements SourceStream {

	/** What is subscribed to: every worker's and every build's events. */
	static final List<String> PATHS = List.of("workers/*/*", "builds/*/*");

	private static final Log logger = LogFactory.getLog(BuildbotStream.class);

	private static final ObjectMapper mapper = JsonMapper.builder().build();

	private final String master;

	private final URI uri;

	private final HttpClient http;

	private final BuildbotProperties properties;

	private final Clock clock;

	/** Logs in to the master ({@code /auth/login}, the cookie lands in the client's store); null without credentials. */
	private final Runnable login;

	private final ScheduledExecutorService scheduler;

	private final Set<String> logged = ConcurrentHashMap.newKeySet();

	private final AtomicLong ids = new AtomicLong();

	private volatile SourceStreamStatus status;

	// Guarded by this.
	private SourceStreamListener listener;

	private Connection current;

	private Duration backoff;

	private ScheduledFuture<?> retry;

	private boolean needsLogin = true;

	private String lastFailure;

	BuildbotStream(String master, URI base, HttpClient http, BuildbotProperties properties, Clock clock,
			Runnable login) {
		this.master = master;
		this.uri = webSocketUri(base);
		this.http = http;
		this.properties = properties;
		this.clock = clock;
		this.login = login;
		this.backoff = properties.streamBackoffInitial();
		this.status = new SourceStreamStatus(State.NEW, clock.instant(), null);
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "buildbot-stream-" + master);
			thread.setDaemon(true);
			return thread;
		});
	}

	/** {@code http(s)://host/base/} to {@code ws(s)://host/base/ws}. */
	static URI webSocketUri(URI base) {
		String url = base.toString();
		url = url.endsWith("/") ? url : url + "/";
		return URI.create(url.replaceFirst("^(?i)http", "ws") + "ws");
	}

	URI uri() {
		return this.uri;
	}

	@Override
	public synchronized void start(SourceStreamListener listener) {
		if (this.listener != null || this.status.state() == State.CLOSED) {
			throw new IllegalStateException("The stream of master '" + this.master + "' was started before or is closed");
		}
		this.listener = listener;
		this.scheduler.execute(this::connect);
	}

	@Override
	public SourceStreamStatus status() {
		return this.status;
	}

	@Override
	public void close() {
		synchronized (this) {
			if (this.status.state() == State.CLOSED) {
				return;
			}
			this.status = new SourceStreamStatus(State.CLOSED, this.clock.instant(), "closed by fleet-health");
			if (this.retry != null) {
				this.retry.cancel(false);
			}
			if (this.current != null) {
				this.current.closeGracefully();
				this.current = null;
			}
		}
		this.scheduler.shutdownNow();
	}

	private void connect() {
		Connection connection;
		boolean logIn;
		synchronized (this) {
			if (this.status.state() == State.CLOSED) {
				return;
			}
			this.retry = null;
			connection = new Connection();
			this.current = connection;
			this.status = new SourceStreamStatus(State.CONNECTING, this.clock.instant(), null);
			logIn = this.login != null && this.needsLogin;
		}
		if (logIn) {
			try {
				this.login.run();
				synchronized (this) {
					this.needsLogin = false;
				}
			}
			catch (SourceException ex) {
				connection.fail("logging in for the WebSocket failed: " + ex.getMessage(), false);
				return;
			}
		}
		try {
			this.http.newWebSocketBuilder()
				.connectTimeout(this.properties.connectTimeout())
				.header("User-Agent", this.properties.userAgent())
				.buildAsync(this.uri, connection)
				.whenComplete((socket, ex) -> {
					if (ex != null) {
						connection.handshakeFailed(ex);
					}
				});
		}
		catch (RuntimeException ex) {
			connection.fail("could not open " + this.uri + ": " + describe(ex), false);
		}
	}

	private void logOnce(String kind, String message) {
		if (this.logged.add(kind)) {
			logger.warn("Master '" + this.master + "' (WebSocket " + this.uri + "): " + message
					+ " (logged once; further ones at debug level)");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Master '" + this.master + "' (WebSocket " + this.uri + "): " + message);
		}
	}

	private static String describe(Throwable ex) {
		Throwable cause = ex;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause.getClass().getSimpleName() + ((cause.getMessage() != null) ? ": " + cause.getMessage() : "");
	}

	private static String abbreviate(CharSequence s) {
		return (s.length() > 200) ? s.subSequence(0, 200) + "..." : s.toString();
	}

	/** One connection attempt and, once open, the connection; a new one for every attempt. */
	private final class Connection implements WebSocket.Listener {

		private final StringBuilder text = new StringBuilder();

		private boolean oversize;

		/** Subscriptions sent and not acknowledged yet, by {@code _id}. */
		private final Map<Long, String> pending = new ConcurrentHashMap<>();

		private volatile WebSocket socket;

		/** Whether anything arrived since the last ping was sent. */
		private volatile boolean heard;

		private volatile boolean pinged;

		private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

		private ScheduledFuture<?> pinger;

		@Override
		public void onOpen(WebSocket webSocket) {
			this.socket = webSocket;
			synchronized (BuildbotStream.this) {
				if (BuildbotStream.this.current != this) {
					// Closed (or given up on) while the handshake was under way.
					webSocket.abort();
					return;
				}
			}
			webSocket.request(1);
			for (String path : PATHS) {
				long id = BuildbotStream.this.ids.incrementAndGet();
				this.pending.put(id, path);
				send("{\"cmd\":\"startConsuming\",\"path\":\"" + path + "\",\"_id\":" + id + "}");
			}
			long every = BuildbotStream.this.properties.streamPingInterval().toMillis();
			synchronized (BuildbotStream.this) {
				if (BuildbotStream.this.current == this) {
					this.pinger = BuildbotStream.this.scheduler.scheduleAtFixedRate(this::ping, every, every,
							TimeUnit.MILLISECONDS);
				}
			}
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.heard = true;
			long limit = BuildbotStream.this.properties.maxResponseSize().toBytes();
			if (!this.oversize) {
				if (this.text.length() + (long) data.length() > limit) {
					this.oversize = true;
					this.text.setLength(0);
				}
				else {
					this.text.append(data);
				}
			}
			if (last) {
				if (this.oversize) {
					logOnce("oversize", "skipped a message longer than " + limit
							+ " characters (fleet-health.buildbot.max-response-size)");
				}
				else {
					handle(this.text);
				}
				this.text.setLength(0);
				if (this.text.capacity() > 65536) {
					this.text.trimToSize();
				}
				this.oversize = false;
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			this.heard = true;
			if (last) {
				logOnce("binary", "skipped a binary message (Buildbot sends text)");
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
			this.heard = true;
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
			// The JDK client answers with a pong by itself.
			this.heard = true;
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			fail("the master closed the connection (code " + statusCode
					+ ((reason != null && !reason.isBlank()) ? ": " + reason : "") + ")", false);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			fail("the connection failed: " + describe(error), false);
		}

		void handshakeFailed(Throwable ex) {
			Throwable cause = ex;
			while (cause instanceof CompletionException && cause.getCause() != null) {
				cause = cause.getCause();
			}
			if (cause instanceof WebSocketHandshakeException handshake) {
				int code = handshake.getResponse().statusCode();
				String reason = BuildbotStream.this.uri + " answered HTTP " + code + " to the WebSocket upgrade";
				if ((code == 401 || code == 403) && BuildbotStream.this.login != null) {
					// The session may have expired: log in again before the next attempt.
					synchronized (BuildbotStream.this) {
						BuildbotStream.this.needsLogin = true;
					}
					fail(reason + " (logging in again before the next attempt)", false);
				}
				else if (code == 401 || code == 403) {
					fail(reason + ": the master wants a login; configure fleet-health.masters[N].username and password",
							true);
				}
				else {
					// 502-504 come from a proxy while the master behind it restarts; any other answer means that
					// nothing there speaks WebSocket.
					fail(reason, !(code == 502 || code == 503 || code == 504));
				}
			}
			else if (cause instanceof HttpTimeoutException) {
				fail("connecting to " + BuildbotStream.this.uri + " timed out after "
						+ BuildbotStream.this.properties.connectTimeout(), false);
			}
			else if (cause instanceof IOException) {
				fail("could not connect to " + BuildbotStream.this.uri + ": " + describe(cause), false);
			}
			else {
				fail("could not open " + BuildbotStream.this.uri + ": " + describe(cause), false);
			}
		}

		private void handle(CharSequence message) {
			JsonNode node;
			try {
				node = mapper.readTree(message.toString());
			}
			catch (JacksonException ex) {
				logOnce("malformed", "skipped a message that is not JSON: " + abbreviate(message));
				return;
			}
			if (node == null || !node.isObject()) {
				logOnce("not-an-object", "skipped a message that is not a JSON object: " + abbreviate(message));
				return;
			}
			JsonNode key = node.path("k");
			if (key.isString()) {
				event(key.stringValue(), node.path("m"), message);
			}
			else if (node.path("_id").isIntegralNumber()) {
				reply(node.path("_id").longValue(), node, message);
			}
			else if (node.has("error")) {
				logOnce("error", "the master answered an error: " + abbreviate(message));
			}
			else {
				logOnce("unknown-message", "skipped a message that is neither an event nor an answer: "
						+ abbreviate(message));
			}
		}

		private void event(String key, JsonNode payload, CharSequence message) {
			String[] parts = key.split("/", -1);
			if (parts.length != 3) {
				logOnce("key:" + parts[0] + "/" + parts.length, "skipped an event with an unexpected key: " + key);
				return;
			}
			String kind = parts[0] + "/" + parts[2];
			String what = "master '" + BuildbotStream.this.master + "' (WebSocket event " + key + ")";
			switch (kind) {
				case "workers/connected", "workers/disconnected", "workers/state_updated" -> {
					SourceWorker worker = (payload.path("workerid").isNumber() && payload.path("name").isString())
							? BuildbotJson.worker(payload, what) : null;
					if (worker == null) {
						logOnce("invalid:" + kind, "skipped a '" + kind
								+ "' event without a worker (workerid, name): " + abbreviate(message));
						return;
					}
					Instant at = BuildbotStream.this.clock.instant();
					deliver(kind, (listener) -> {
						switch (parts[2]) {
							case "connected" -> listener.workerConnected(worker, at);
							case "disconnected" -> listener.workerDisconnected(worker, at);
							default -> listener.workerStateUpdated(worker, at);
						}
					});
				}
				case "builds/new", "builds/finished" -> {
					SourceBuild build = (payload.path("buildid").isNumber() && payload.path("builderid").isNumber()
							&& payload.path("started_at").isNumber()) ? BuildbotJson.build(payload, what) : null;
					if (build == null) {
						logOnce("invalid:" + kind, "skipped a '" + kind
								+ "' event without a build (buildid, builderid, started_at): " + abbreviate(message));
						return;
					}
					Instant at = BuildbotStream.this.clock.instant();
					deliver(kind, (listener) -> {
						if (parts[2].equals("new")) {
							listener.buildStarted(build, at);
						}
						else {
							listener.buildFinished(build, at);
						}
					});
				}
				case "workers/missing", "builds/update" -> {
					// Known and not needed: a missing worker was reported when it disconnected; an update is a new
					// state string of a running build (about six a build).
				}
				default -> logOnce("event:" + kind, "skipped '" + kind + "' events, which fleet-health does not read");
			}
		}

		private void reply(long id, JsonNode node, CharSequence message) {
			String path = this.pending.get(id);
			if (node.has("error")) {
				if (path != null) {
					fail("the master refused the subscription to '" + path + "': " + node.path("error") + " (code "
							+ node.path("code") + ")", true);
				}
				else {
					logOnce("error", "the master answered an error: " + abbreviate(message));
				}
				return;
			}
			String msg = node.path("msg").isString() ? node.path("msg").stringValue() : "";
			if (msg.equals("OK") && path != null) {
				this.pending.remove(id);
				if (this.pending.isEmpty()) {
					up();
				}
			}
			else if (msg.equals("pong")) {
				synchronized (BuildbotStream.this) {
					if (BuildbotStream.this.current == this) {
						// A connection that answers pings is a good one: the next failure waits the shortest time.
						BuildbotStream.this.backoff = BuildbotStream.this.properties.streamBackoffInitial();
					}
				}
			}
			else if (!msg.equals("OK")) {
				logOnce("reply:" + msg, "skipped an answer fleet-health did not ask for: " + abbreviate(message));
			}
		}

		private void up() {
			synchronized (BuildbotStream.this) {
				if (BuildbotStream.this.current != this) {
					return;
				}
				Instant at = BuildbotStream.this.clock.instant();
				BuildbotStream.this.status = new SourceStreamStatus(State.UP, at, null);
				logger.info("Master '" + BuildbotStream.this.master + "': event stream up (" + BuildbotStream.this.uri
						+ ", " + String.join(", ", PATHS) + ")");
				deliver("up", (listener) -> listener.streamUp(at));
			}
		}

		private void ping() {
			if (this.pinged && !this.heard) {
				fail("no answer to a ping within " + BuildbotStream.this.properties.streamPingInterval(), false);
				return;
			}
			this.heard = false;
			this.pinged = true;
			send("{\"cmd\":\"ping\",\"_id\":" + BuildbotStream.this.ids.incrementAndGet() + "}");
		}

		/** Sends one text message after the ones before it (the JDK client allows one outstanding send). */
		private synchronized void send(String message) {
			WebSocket webSocket = this.socket;
			this.sending = this.sending.handle((result, ex) -> null)
				.thenCompose((ignored) -> webSocket.sendText(message, true));
			this.sending.whenComplete((result, ex) -> {
				if (ex != null) {
					fail("sending to the master failed: " + describe(ex), false);
				}
			});
		}

		/** Calls the listener if this is still the connection it hears from; a failing listener is logged. */
		private void deliver(String kind, Consumer<SourceStreamListener> call) {
			synchronized (BuildbotStream.this) {
				if (BuildbotStream.this.current != this) {
					return;
				}
				try {
					call.accept(BuildbotStream.this.listener);
				}
				catch (RuntimeException ex) {
					logOnce("listener:" + kind, "the listener failed on '" + kind + "': " + describe(ex));
				}
			}
		}

		/** Ends this connection (if it is still the current one) and schedules the next attempt. */
		void fail(String reason, boolean unavailable) {
			synchronized (BuildbotStream.this) {
				if (BuildbotStream.this.current != this) {
					return;
				}
				State previous = BuildbotStream.this.status.state();
				Duration wait;
				if (unavailable) {
					wait = BuildbotStream.this.properties.streamBackoffMax();
				}
				else {
					wait = BuildbotStream.this.backoff;
					Duration doubled = wait.multipliedBy(2);
					Duration max = BuildbotStream.this.properties.streamBackoffMax();
					BuildbotStream.this.backoff = (doubled.compareTo(max) > 0) ? max : doubled;
				}
				SourceStreamStatus down = new SourceStreamStatus(unavailable ? State.UNAVAILABLE : State.DOWN,
						BuildbotStream.this.clock.instant(), reason);
				String line = "Master '" + BuildbotStream.this.master + "': event stream "
						+ (unavailable ? "unavailable" : "down") + ", " + reason + "; trying again in " + wait;
				// A warning when the stream was up or fails in a new way; retries failing alike are info.
				if (previous == State.UP || !reason.equals(BuildbotStream.this.lastFailure)) {
					logger.warn(line);
				}
				else {
					logger.info(line);
				}
				deliver("down", (listener) -> listener.streamDown(down, wait));
				BuildbotStream.this.status = down;
				BuildbotStream.this.lastFailure = reason;
				BuildbotStream.this.current = null;
				abort();
				BuildbotStream.this.retry = BuildbotStream.this.scheduler.schedule(BuildbotStream.this::connect,
						wait.toMillis(), TimeUnit.MILLISECONDS);
			}
		}

		private void abort() {
			if (this.pinger != null) {
				this.pinger.cancel(false);
			}
			WebSocket webSocket = this.socket;
			if (webSocket != null) {
				webSocket.abort();
			}
		}

		/** Says goodbye with a close frame; drops the connection if the master does not answer it in time. */
		void closeGracefully() {
			if (this.pinger != null) {
				this.pinger.cancel(false);
			}
			WebSocket webSocket = this.socket;
			if (webSocket != null) {
				webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "")
					.orTimeout(BuildbotStream.this.properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
					.whenComplete((ws, ex) -> webSocket.abort());
			}
		}

	}

}
