package org.fleethealth.buildbot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.fleethealth.buildbot.StreamMessages.Event;
import org.fleethealth.buildbot.StreamMessages.Message;
import org.fleethealth.buildbot.StreamMessages.Reply;
import org.fleethealth.buildbot.StreamMessages.Skipped;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceStreamListener;
import org.fleethealth.source.SourceStreamStatus;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each kind of message on Buildbot's WebSocket is read as; {@link BuildbotStreamTests} covers them on a live
 * connection.
 */
class StreamMessagesTests {

	private static final Instant AT = Instant.parse("2026-11-30T10:00:00Z");

	@Test
	void aWorkerEventCallsTheListenerWithTheWorkerAndTheInstantItWasHeard() {
		Message read = StreamMessages.read("{\"k\":\"workers/3/disconnected\",\"m\":{\"workerid\":3,\"name\":\"bob\","
				+ "\"connected_to\":[],\"configured_on\":[],\"workerinfo\":{}}}", "lab");

		assertThat(read).isInstanceOf(Event.class);
		Event event = (Event) read;
		assertThat(event.kind()).isEqualTo("workers/disconnected");
		Calls calls = new Calls();
		event.call().accept(calls, AT);
		assertThat(calls.log).containsExactly("disconnected bob at " + AT);
	}

	@Test
	void buildEventsAreStartedAndFinished() {
		String build = "{\"buildid\":9,\"builderid\":2,\"number\":4,\"workerid\":3,\"started_at\":1795990880,"
				+ "\"complete\":%s,\"complete_at\":%s,\"results\":%s,\"state_string\":\"x\"}";
		Calls calls = new Calls();
		((Event) StreamMessages.read("{\"k\":\"builds/9/new\",\"m\":" + build.formatted("false", "null", "null") + "}",
				"lab"))
			.call()
			.accept(calls, AT);
		((Event) StreamMessages.read(
				"{\"k\":\"builds/9/finished\",\"m\":" + build.formatted("true", "1795990890", "2") + "}", "lab"))
			.call()
			.accept(calls, AT);

		assertThat(calls.log).containsExactly("started 9", "finished 9 complete");
	}

	@Test
	void answersToCommandsAreRepliesWithTheirIdAndMessageOrError() {
		Reply ok = (Reply) StreamMessages.read("{\"_id\":1,\"code\":200,\"msg\":\"OK\"}", "lab");
		assertThat(ok.id()).isEqualTo(1);
		assertThat(ok.msg()).isEqualTo("OK");
		assertThat(ok.failed()).isFalse();

		Reply refused = (Reply) StreamMessages.read("{\"_id\":2,\"code\":404,\"error\":\"no such path\"}", "lab");
		assertThat(refused.failed()).isTrue();
		assertThat(refused.error().stringValue()).isEqualTo("no such path");
		assertThat(refused.code().intValue()).isEqualTo(404);
	}

	@Test
	void whatIsNotReadIsSkippedUnderAKindLoggedOnce() {
		assertThat(skippedKind("not json")).isEqualTo("malformed");
		assertThat(skippedKind("[1,2]")).isEqualTo("not-an-object");
		assertThat(skippedKind("{\"error\":\"bad\"}")).isEqualTo("error");
		assertThat(skippedKind("{\"hello\":1}")).isEqualTo("unknown-message");
		assertThat(skippedKind("{\"k\":\"workers/3\",\"m\":{}}")).isEqualTo("key:workers/2");
		assertThat(skippedKind("{\"k\":\"workers/3/connected\",\"m\":{\"name\":\"no id\"}}"))
			.isEqualTo("invalid:workers/connected");
		assertThat(skippedKind("{\"k\":\"builds/9/finished\",\"m\":{\"buildid\":9}}")).isEqualTo("invalid:builds/finished");
		assertThat(skippedKind("{\"k\":\"changes/1/new\",\"m\":{}}")).isEqualTo("event:changes/new");
	}

	@Test
	void eventsKnownAndNotNeededAreSkippedWithoutALogLine() {
		assertThat(skippedKind("{\"k\":\"builds/9/update\",\"m\":{}}")).isNull();
		assertThat(skippedKind("{\"k\":\"workers/3/missing\",\"m\":{}}")).isNull();
	}

	@Test
	void longMessagesAreCutForTheLog() {
		Skipped skipped = (Skipped) StreamMessages.read("x".repeat(500), "lab");
		assertThat(skipped.why()).endsWith("x".repeat(200) + "...");
	}

	private static String skippedKind(String message) {
		Message read = StreamMessages.read(message, "lab");
		assertThat(read).as(message).isInstanceOf(Skipped.class);
		return ((Skipped) read).kind();
	}

	private static final class Calls implements SourceStreamListener {

		private final List<String> log = new ArrayList<>();

		@Override
		public void workerConnected(SourceWorker worker, Instant at) {
			this.log.add("connected " + worker.name() + " at " + at);
		}

		@Override
		public void workerDisconnected(SourceWorker worker, Instant at) {
			this.log.add("disconnected " + worker.name() + " at " + at);
		}

		@Override
		public void workerStateUpdated(SourceWorker worker, Instant at) {
			this.log.add("state " + worker.name() + " at " + at);
		}

		@Override
		public void buildStarted(SourceBuild build, Instant at) {
			this.log.add("started " + build.id());
		}

		@Override
		public void buildFinished(SourceBuild build, Instant at) {
			this.log.add("finished " + build.id() + (build.complete() ? " complete" : ""));
		}

		@Override
		public void streamUp(Instant at) {
			this.log.add("up");
		}

		@Override
		public void streamDown(SourceStreamStatus status, Duration retryIn) {
			this.log.add("down");
		}

	}

}
