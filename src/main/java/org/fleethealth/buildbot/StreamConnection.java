package org.fleethealth.buildbot;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.fleethealth.buildbot.StreamMessages.Event;
import org.fleethealth.buildbot.StreamMessages.Message;
import org.fleethealth.buildbot.StreamMessages.Reply;
import org.fleethealth.buildbot.StreamMessages.Skipped;

/**
 * One connection attempt of a {@link BuildbotStream} and, once open, the connection: subscribes to
 * {@link BuildbotStream#PATHS} with {@code startConsuming}, reads one message at a time ({@link StreamMessages}),
 * pings with Buildbot's {@code ping} command and reports its end to the stream, which makes a new one for the next
 * attempt. Whatever it does to the stream's state happens under the stream's lock and only while it is the stream's
 * current connection, so a connection given up on can no longer reach the listener.
 */
final class StreamConnection implements WebSocket.Listener {

	private final BuildbotStream stream;

	private final BuildbotProperties properties;

	private final StringBuilder text = new StringBuilder();

	private boolean oversize;

	/** Subscriptions sent and not acknowledged yet, by {@code _id}. */
	private final Map<Long, String> pending = new ConcurrentHashMap<>();

	private volatile WebSocket socket;

	/** Whether anything arrived since the last ping was sent. */
	private volatile boolean heard;

	private volatile boolean pinged;

	private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

	// Set under the stream's lock, so that a failure (under the same lock) always finds it.
	private ScheduledFuture<?> pinger;

	StreamConnection(BuildbotStream stream, BuildbotProperties properties) {
		this.stream = stream;
		this.properties = properties;
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		this.socket = webSocket;
		if (!this.stream.whileCurrent(this, () -> {
		})) {
			// Closed (or given up on) while the handshake was under way.
			webSocket.abort();
			return;
		}
		webSocket.request(1);
		for (String path : BuildbotStream.PATHS) {
			long id = this.stream.nextId();
			this.pending.put(id, path);
			send("{\"cmd\":\"startConsuming\",\"path\":\"" + path + "\",\"_id\":" + id + "}");
		}
		long every = this.properties.streamPingInterval().toMillis();
		this.stream.whileCurrent(this,
				() -> this.pinger = this.stream.scheduler().scheduleAtFixedRate(this::ping, every, every,
						TimeUnit.MILLISECONDS));
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.heard = true;
		long limit = this.properties.maxResponseSize().toBytes();
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
				this.stream.logOnce("oversize", "skipped a message longer than " + limit
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
			this.stream.logOnce("binary", "skipped a binary message (Buildbot sends text)");
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
		fail("the connection failed: " + BuildbotStream.describe(error), false);
	}

	/** The WebSocket upgrade failed: says why, and whether the master can be expected to allow it later. */
	void handshakeFailed(Throwable ex) {
		Throwable cause = ex;
		while (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (cause instanceof WebSocketHandshakeException handshake) {
			int code = handshake.getResponse().statusCode();
			String reason = this.stream.uri() + " answered HTTP " + code + " to the WebSocket upgrade";
			if ((code == 401 || code == 403) && this.stream.logsIn()) {
				// The session may have expired: log in again before the next attempt.
				this.stream.logInAgain();
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
			fail("connecting to " + this.stream.uri() + " timed out after " + this.properties.connectTimeout(), false);
		}
		else if (cause instanceof IOException) {
			fail("could not connect to " + this.stream.uri() + ": " + BuildbotStream.describe(cause), false);
		}
		else {
			fail("could not open " + this.stream.uri() + ": " + BuildbotStream.describe(cause), false);
		}
	}

	private void handle(CharSequence message) {
		Message read = StreamMessages.read(message, this.stream.master());
		if (read instanceof Event event) {
			Instant at = this.stream.clock().instant();
			this.stream.deliver(this, event.kind(), (listener) -> event.call().accept(listener, at));
		}
		else if (read instanceof Reply reply) {
			reply(reply, message);
		}
		else if (read instanceof Skipped skipped && skipped.kind() != null) {
			this.stream.logOnce(skipped.kind(), skipped.why());
		}
	}

	private void reply(Reply reply, CharSequence message) {
		String path = this.pending.get(reply.id());
		if (reply.failed()) {
			if (path != null) {
				fail("the master refused the subscription to '" + path + "': " + reply.error() + " (code "
						+ reply.code() + ")", true);
			}
			else {
				this.stream.logOnce("error", "the master answered an error: " + StreamMessages.abbreviate(message));
			}
			return;
		}
		if (reply.msg().equals("OK") && path != null) {
			this.pending.remove(reply.id());
			if (this.pending.isEmpty()) {
				this.stream.up(this);
			}
		}
		else if (reply.msg().equals("pong")) {
			// A connection that answers pings is a good one: the next failure waits the shortest time.
			this.stream.whileCurrent(this, this.stream::resetBackoff);
		}
		else if (!reply.msg().equals("OK")) {
			this.stream.logOnce("reply:" + reply.msg(),
					"skipped an answer fleet-health did not ask for: " + StreamMessages.abbreviate(message));
		}
	}

	private void ping() {
		if (this.pinged && !this.heard) {
			fail("no answer to a ping within " + this.properties.streamPingInterval(), false);
			return;
		}
		this.heard = false;
		this.pinged = true;
		send("{\"cmd\":\"ping\",\"_id\":" + this.stream.nextId() + "}");
	}

	/** Sends one text message after the ones before it (the JDK client allows one outstanding send). */
	private synchronized void send(String message) {
		WebSocket webSocket = this.socket;
		this.sending = this.sending.handle((result, ex) -> null)
			.thenCompose((ignored) -> webSocket.sendText(message, true));
		this.sending.whenComplete((result, ex) -> {
			if (ex != null) {
				fail("sending to the master failed: " + BuildbotStream.describe(ex), false);
			}
		});
	}

	/** Ends this connection, if it is still the stream's current one; the stream schedules the next attempt. */
	void fail(String reason, boolean unavailable) {
		this.stream.failed(this, reason, unavailable);
	}

	/** Drops the connection without a close frame; called by the stream under its lock. */
	void abort() {
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
				.orTimeout(this.properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
				.whenComplete((ws, ex) -> webSocket.abort());
		}
	}

}
