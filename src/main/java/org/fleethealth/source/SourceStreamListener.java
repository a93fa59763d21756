package org.fleethealth.source;

import java.time.Duration;
import java.time.Instant;

/**
 * Receives the events of a {@link SourceStream}.
 *
 * <p>
 * <b>Threads and order</b>: methods are called one at a time, never concurrently for one stream, in the order
 * the master sent the events, on a thread of the stream (never the caller of {@link SourceStream#start}). The
 * next event is not read until a method returns, so a method that blocks holds the stream back (the network
 * pushes back on the master; nothing piles up in memory): hand slow work off. An exception thrown by a method is
 * logged and the stream goes on. Nothing from a connection reaches the listener after the
 * {@link #streamDown} that ended it.
 *
 * <p>
 * <b>Times</b>: {@code receivedAt} is when the event arrived here (the application's clock): the master sends no
 * time with worker events, and it comes within a second of the change on the master.
 *
 * <p>
 * <b>What the master sends</b> is what its REST API gives for the same object: a worker with its
 * {@code connected_to} and {@code configured_on}, a build without properties (so {@link SourceBuild#revision()}
 * and {@link SourceBuild#branch()} are {@code null}: read the build from the REST API for them).
 */
public interface SourceStreamListener {

	/** A worker connected to a master process (Buildbot's {@code workers/<id>/connected}). */
	void workerConnected(SourceWorker worker, Instant receivedAt);

	/**
	 * A worker disconnected from a master process ({@code workers/<id>/disconnected}); it may still be connected to
	 * another one of a cluster ({@link SourceWorker#connectedTo()}).
	 */
	void workerDisconnected(SourceWorker worker, Instant receivedAt);

	/** A worker was paused, unpaused or set to stop gracefully ({@code workers/<id>/state_updated}). */
	void workerStateUpdated(SourceWorker worker, Instant receivedAt);

	/** A build started ({@code builds/<id>/new}): running, no results yet. */
	void buildStarted(SourceBuild build, Instant receivedAt);

	/** A build finished ({@code builds/<id>/finished}), with its results and {@code complete_at}. */
	void buildFinished(SourceBuild build, Instant receivedAt);

	/**
	 * The stream is connected and subscribed to every path: from now on, events arrive as they happen. What
	 * happened while it was down is not replayed: reconcile by polling.
	 */
	void streamUp(Instant at);

	/**
	 * The stream is down ({@link SourceStreamStatus.State#DOWN}) or unavailable
	 * ({@link SourceStreamStatus.State#UNAVAILABLE}, the master's web server refuses WebSockets): fall back to
	 * polling. {@code retryIn} is how long until the next attempt to connect.
	 */
	void streamDown(SourceStreamStatus status, Duration retryIn);

}
