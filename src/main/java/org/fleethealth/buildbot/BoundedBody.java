package org.fleethealth.buildbot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * Reads a response body as UTF-8 text, but no more than a limit and no longer than a deadline: past either
 * the download is cancelled and the answer fails, so memory stays bounded and a poll never hangs, whatever a
 * master sends. (The HttpClient's own request timeout ends when the headers have arrived; a master that
 * sends headers and then stalls would otherwise hold the poll forever.)
 */
final class BoundedBody implements HttpResponse.BodySubscriber<String> {

	private final long limit;

	/**
	 * What arrived so far; dropped when the answer is complete. The JDK's client can keep a finished exchange, and
	 * this subscriber with it, reachable from an idle pooled connection: a buffer kept here was 4 MB of a 10,000
	 * workers answer held until the next poll (a heap dump of an {@code -Xmx256m} run that ran out).
	 */
	private ByteArrayOutputStream buffer;

	private final CompletableFuture<String> result = new CompletableFuture<>();

	private volatile Flow.Subscription subscription;

	private BoundedBody(long limit, long declared) {
		this.limit = limit;
		// Sized to the declared length where there is one: a growing buffer copies itself as it doubles, and keeps
		// up to half its size unused.
		boolean sized = declared > 0 && declared <= limit && declared < Integer.MAX_VALUE - 8;
		this.buffer = new ByteArrayOutputStream(sized ? (int) declared : 8192);
	}

	/**
	 * A handler for answers of at most {@code limit} bytes that must be complete by {@code deadlineNanos} (on
	 * {@link System#nanoTime()}'s clock).
	 */
	static HttpResponse.BodyHandler<String> handler(long limit, long deadlineNanos) {
		return (info) -> {
			long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
			BoundedBody body = new BoundedBody(limit, declared);
			if (declared > limit) {
				body.result.completeExceptionally(new TooLargeException(limit));
			}
			else {
				body.expireAt(deadlineNanos);
			}
			return body;
		};
	}

	private void expireAt(long deadlineNanos) {
		long left = Math.max(0, deadlineNanos - System.nanoTime());
		// A timer that is cancelled when the answer is complete: a timer left to run until the deadline kept this
		// body and the whole answer reachable for the read timeout, tens of MB at 10,000 workers (bench/NOTES.md).
		CompletableFuture<Void> deadline = new CompletableFuture<Void>().orTimeout(left, TimeUnit.NANOSECONDS);
		this.result.whenComplete((body, ex) -> deadline.complete(null));
		deadline.whenComplete((ignored, timedOut) -> {
			if (timedOut != null
					&& this.result.completeExceptionally(new HttpTimeoutException("the answer was not complete in time"))) {
				Flow.Subscription current = this.subscription;
				if (current != null) {
					current.cancel();
				}
			}
		});
	}

	static boolean isTooLarge(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof TooLargeException) {
				return true;
			}
		}
		return false;
	}

	@Override
	public void onSubscribe(Flow.Subscription subscription) {
		this.subscription = subscription;
		if (this.result.isDone()) {
			subscription.cancel();
		}
		else {
			subscription.request(Long.MAX_VALUE);
		}
	}

	@Override
	public void onNext(List<ByteBuffer> items) {
		if (this.result.isDone()) {
			return;
		}
		for (ByteBuffer item : items) {
			if (this.buffer.size() + (long) item.remaining() > this.limit) {
				this.buffer = null;
				this.subscription.cancel();
				this.result.completeExceptionally(new TooLargeException(this.limit));
				return;
			}
			byte[] bytes = new byte[item.remaining()];
			item.get(bytes);
			this.buffer.writeBytes(bytes);
		}
	}

	@Override
	public void onError(Throwable throwable) {
		this.buffer = null;
		this.result.completeExceptionally(throwable);
	}

	@Override
	public void onComplete() {
		ByteArrayOutputStream done = this.buffer;
		this.buffer = null;
		if (done != null) {
			this.result.complete(done.toString(StandardCharsets.UTF_8));
		}
	}

	@Override
	public CompletionStage<String> getBody() {
		return this.result;
	}

	/** The answer was larger than allowed. */
	static final class TooLargeException extends IOException {

		TooLargeException(long limit) {
			super("response larger than " + limit + " bytes");
		}

	}

}
