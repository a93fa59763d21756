package org.fleethealth.buildbot;

import java.lang.ref.WeakReference;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** The body reader's own limits: size, deadline, and what it keeps in memory after an answer. */
class BoundedBodyTests {

	private static final HttpResponse.ResponseInfo OK = new HttpResponse.ResponseInfo() {

		@Override
		public int statusCode() {
			return 200;
		}

		@Override
		public HttpHeaders headers() {
			return HttpHeaders.of(Map.of(), (name, value) -> true);
		}

		@Override
		public HttpClient.Version version() {
			return HttpClient.Version.HTTP_1_1;
		}

	};

	private static final Flow.Subscription SUBSCRIPTION = new Flow.Subscription() {

		@Override
		public void request(long n) {
		}

		@Override
		public void cancel() {
		}

	};

	private static HttpResponse.BodySubscriber<String> body(long limit, Duration deadline) {
		return BoundedBody.handler(limit, System.nanoTime() + deadline.toNanos()).apply(OK);
	}

	private static void send(HttpResponse.BodySubscriber<String> body, String text) {
		body.onSubscribe(SUBSCRIPTION);
		body.onNext(List.of(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
		body.onComplete();
	}

	@Test
	void aCompleteAnswerIsNotKeptUntilItsDeadline() throws Exception {
		HttpResponse.BodySubscriber<String> body = body(1 << 20, Duration.ofHours(1));
		send(body, "x".repeat(100_000));
		assertThat(body.getBody().toCompletableFuture().get()).hasSize(100_000);
		WeakReference<Object> reference = new WeakReference<>(body);
		body = null;
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			System.gc();
			return reference.get() == null;
		});
	}

	@Test
	void anAnswerNotCompleteByItsDeadlineFails() {
		HttpResponse.BodySubscriber<String> body = body(1 << 20, Duration.ofMillis(50));
		body.onSubscribe(SUBSCRIPTION);
		body.onNext(List.of(ByteBuffer.wrap("{\"workers\": [".getBytes(StandardCharsets.UTF_8))));
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> body.getBody().toCompletableFuture().get())
			.withMessageContaining("not complete in time");
	}

	@Test
	void anAnswerLargerThanTheLimitFails() {
		HttpResponse.BodySubscriber<String> body = body(10, Duration.ofMinutes(1));
		send(body, "more than ten bytes");
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> body.getBody().toCompletableFuture().get())
			.satisfies((ex) -> assertThat(BoundedBody.isTooLarge(ex)).isTrue());
	}

}
