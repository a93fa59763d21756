package org.fleethealth.buildbot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body as UTF-8 text, but no more than a limit: past it the download is cancelled and the
 * answer fails, so memory stays bounded whatever a master sends.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<String> {

	private final long limit;

	private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

	private final CompletableFuture<String> result = new CompletableFuture<>();

	private Flow.Subscription subscription;

	private BoundedBody(long limit) {
		this.limit = limit;
	}

	static HttpResponse.BodyHandler<String> handler(long limit) {
		return (info) -> {
			BoundedBody body = new BoundedBody(limit);
			long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
			if (declared > limit) {
				body.result.completeExceptionally(new TooLargeException(limit));
			}
			return body;
		};
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
		this.result.completeExceptionally(throwable);
	}

	@Override
	public void onComplete() {
		this.result.complete(this.buffer.toString(StandardCharsets.UTF_8));
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
