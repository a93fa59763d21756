package org.fleethealth.buildbot;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.source.SourceException;
import org.fleethealth.source.SourceStream;
import org.fleethealth.source.SourceStreamListener;
import org.fleethealth.source.SourceStreamStatus;
import org.fleethealth.source.SourceStreamStatus.State;

/**
 * One Buildbot master's WebSocket ({@code /ws}, Buildbot 3.7 and 4.x): subscribes to {@code workers/*}{@code /*} and
 * {@code builds/*}{@code /*} with {@code startConsuming}, turns the pushed events into listener calls (the
 * {@code m} payloads parsed by {@link WorkerJson} and {@link BuildJson}, as the REST answers), keeps the connection
 * alive with Buildbot's {@code ping} command, and reconnects after a failure with a doubling wait. Each attempt is a
 * {@link StreamConnection}; what a message says is read by {@link StreamMessages}. Built on the JDK's
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

	private StreamConnection current;

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
		StreamConnection connection;
		boolean logIn;
		synchronized (this) {
			if (this.status.state() == State.CLOSED) {
				return;
			}
			this.retry = null;
			connection = new StreamConnection(this, this.properties);
			this.current = connection;
			if (this.status.state() == State.NEW) {
				// After a failure it stays down (or unavailable) since it failed, while it is tried again.
				this.status = new SourceStreamStatus(State.CONNECTING, this.clock.instant(), null);
			}
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

	/** Logs a warning the first time a kind of trouble is met, and at debug level after that. */
	void logOnce(String kind, String message) {
		if (this.logged.add(kind)) {
			logger.warn("Master '" + this.master + "' (WebSocket " + this.uri + "): " + message
					+ " (logged once; further ones at debug level)");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Master '" + this.master + "' (WebSocket " + this.uri + "): " + message);
		}
	}

	/** The exception behind the wrappers of a future, as its type and message ({@link Failures}). */
	static String describe(Throwable ex) {
		return Failures.describe(ex);
	}

	// What its connections do to the stream, under its lock.

	String master() {
		return this.master;
	}

	Clock clock() {
		return this.clock;
	}

	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	long nextId() {
		return this.ids.incrementAndGet();
	}

	/** Whether the master has credentials, so that a refused upgrade may mean an expired session. */
	boolean logsIn() {
		return this.login != null;
	}

	synchronized void logInAgain() {
		this.needsLogin = true;
	}

	synchronized void resetBackoff() {
		this.backoff = this.properties.streamBackoffInitial();
	}

	/** Runs the action under the stream's lock if the connection is still the current one; says whether it ran. */
	synchronized boolean whileCurrent(StreamConnection connection, Runnable action) {
		if (this.current != connection) {
			return false;
		}
		action.run();
		return true;
	}

	/** Every subscription of the connection was acknowledged: the stream is up. */
	synchronized void up(StreamConnection connection) {
		if (this.current != connection) {
			return;
		}
		Instant at = this.clock.instant();
		this.status = new SourceStreamStatus(State.UP, at, null);
		logger.info("Master '" + this.master + "': event stream up (" + this.uri + ", " + String.join(", ", PATHS)
				+ ")");
		deliver(connection, "up", (listener) -> listener.streamUp(at));
	}

	/** Calls the listener if the connection is still the one it hears from; a failing listener is logged. */
	synchronized void deliver(StreamConnection connection, String kind, Consumer<SourceStreamListener> call) {
		if (this.current != connection) {
			return;
		}
		try {
			call.accept(this.listener);
		}
		catch (RuntimeException ex) {
			logOnce("listener:" + kind, "the listener failed on '" + kind + "': " + describe(ex));
		}
	}

	/**
	 * Ends the connection (if it is still the current one) and schedules the next attempt: after the doubling
	 * backoff, or after {@code stream-backoff-max} when the master refuses WebSockets ({@code unavailable}).
	 */
	synchronized void failed(StreamConnection connection, String reason, boolean unavailable) {
		if (this.current != connection) {
			return;
		}
		State previous = this.status.state();
		Duration wait;
		if (unavailable) {
			wait = this.properties.streamBackoffMax();
		}
		else {
			wait = this.backoff;
			Duration doubled = wait.multipliedBy(2);
			Duration max = this.properties.streamBackoffMax();
			this.backoff = (doubled.compareTo(max) > 0) ? max : doubled;
		}
		State state = unavailable ? State.UNAVAILABLE : State.DOWN;
		// A retry that fails alike leaves it in the state it has been in since the first failure.
		SourceStreamStatus down = new SourceStreamStatus(state,
				(previous == state) ? this.status.since() : this.clock.instant(), reason);
		String line = "Master '" + this.master + "': event stream " + (unavailable ? "unavailable" : "down") + ", "
				+ reason + "; trying again in " + wait;
		// A warning when the stream was up or fails in a new way; retries failing alike are info.
		if (previous == State.UP || !reason.equals(this.lastFailure)) {
			logger.warn(line);
		}
		else {
			logger.info(line);
		}
		deliver(connection, "down", (listener) -> listener.streamDown(down, wait));
		this.status = down;
		this.lastFailure = reason;
		this.current = null;
		connection.abort();
		this.retry = this.scheduler.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
	}

}
