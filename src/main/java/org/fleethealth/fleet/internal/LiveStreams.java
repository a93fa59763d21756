package org.fleethealth.fleet.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.fleet.FleetHeard;
import org.fleethealth.fleet.PollProperties;
import org.fleethealth.fleet.PollService;
import org.fleethealth.source.FleetSource;
import org.fleethealth.source.FleetSources;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceStream;
import org.fleethealth.source.SourceStreamListener;
import org.fleethealth.source.SourceStreamStatus;
import org.fleethealth.source.SourceWorker;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hears each master live where it has an event stream ({@link FleetSource#stream()}): worker changes are stored
 * at the instant they were heard and judged within moments ({@link FleetHeard}), and a mass disconnect makes the
 * master's workers be read at once ({@link PollService#pollWorkersOf}); started and finished builds make
 * a builds poll of that master run a moment later, at most once per {@code poll.stream-builds-interval}
 * ({@link BuildsPollSpacing}; the stream's builds carry no revision or branch); a stream that comes
 * (back) up makes the master be reconciled by polling, since what happened while it was down was not heard. While
 * a stream is up its master is polled only every {@code poll.reconcile-interval}.
 *
 * <p>
 * Exports {@code fleet_source_stream_up{master}}: 1 while a master is heard live, 0 while it is polled only.
 */
@Component
public class LiveStreams implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(LiveStreams.class);

	// Worker events heard within this long are stored together: one transaction and one judgement for a burst
	// (a network cut drops many workers at once), still well within a second.
	private static final Duration WORKER_BATCH = Duration.ofMillis(200);

	private final Map<String, Heard> masters = new ConcurrentHashMap<>();

	private final List<FleetSource> sources;

	private final StreamStore store;

	private final ObjectProvider<PollService> polls;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final boolean enabled;

	private final Duration streamBuildsInterval;

	private final StreamTasks tasks = new StreamTasks();

	private volatile boolean running;

	LiveStreams(List<FleetSources> sources, StreamStore store, ObjectProvider<PollService> polls,
			ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock, MeterRegistry meters,
			PollProperties properties) {
		this.sources = sources.stream().flatMap((s) -> s.sources().stream()).toList();
		this.store = store;
		this.polls = polls;
		this.events = events;
		this.transactions = transactions;
		this.clock = clock;
		this.enabled = properties.enabled();
		this.streamBuildsInterval = properties.streamBuildsInterval();
		for (FleetSource source : this.sources) {
			Gauge.builder("fleet.source.stream.up", () -> isLive(source.masterName()) ? 1 : 0)
				.description("Whether a master is heard live through its event stream (1) or polled only (0)")
				.tag("master", source.masterName())
				.register(meters);
		}
	}

	/** Whether the master's stream is up: its workers' changes arrive as they happen. */
	public boolean isLive(String master) {
		Heard heard = this.masters.get(master);
		return heard != null && heard.stream.status().state().live();
	}

	/** Where the master's stream stands; empty where it has none (or streams are off). */
	public Optional<SourceStreamStatus> status(String master) {
		return Optional.ofNullable(this.masters.get(master)).map((h) -> h.stream.status());
	}

	/**
	 * When the polls that catch up on what the master's stream did not hear last finished, after it came (back) up;
	 * empty until they have, and again from the moment it comes up until they finish. Whether the master answered
	 * them is the polls' own state.
	 */
	public Optional<Instant> reconciled(String master) {
		return Optional.ofNullable(this.masters.get(master)).map((h) -> h.reconciled);
	}

	/**
	 * When the master's stream last went down after it was up; empty if it never did since this start. The master
	 * process serving the stream ran until about then.
	 */
	public Optional<Instant> wentDown(String master) {
		return Optional.ofNullable(this.masters.get(master)).map((h) -> h.wentDown);
	}

	/** Starts the streams of every master that has one, with the polls ({@code poll.enabled}). */
	@Override
	public void start() {
		if (!this.enabled) {
			return;
		}
		listen();
	}

	/** Starts the streams now, whatever {@code poll.enabled} says (tests that poll by hand). */
	public void listen() {
		if (this.running) {
			return;
		}
		this.tasks.start();
		this.running = true;
		for (FleetSource source : this.sources) {
			source.stream().ifPresent((stream) -> {
				Heard heard = new Heard(source.masterName(), stream);
				this.masters.put(source.masterName(), heard);
				stream.start(heard);
			});
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.masters.values().forEach((h) -> h.stream.close());
		this.tasks.stop();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** The stream of one master, and what it heard since the last batch was stored. */
	private final class Heard implements SourceStreamListener {

		private final String master;

		private final SourceStream stream;

		private final List<StreamStore.Heard> pending = new ArrayList<>();

		private final AtomicBoolean buildsPollDue = new AtomicBoolean();

		private final BuildsPollSpacing spacing = new BuildsPollSpacing(LiveStreams.this.streamBuildsInterval);

		private volatile boolean wasDown;

		private volatile boolean up;

		private volatile Instant wentDown;

		private volatile Instant reconciled;

		Heard(String master, SourceStream stream) {
			this.master = master;
			this.stream = stream;
		}

		@Override
		public void workerConnected(SourceWorker worker, Instant receivedAt) {
			heard(worker, receivedAt);
		}

		@Override
		public void workerDisconnected(SourceWorker worker, Instant receivedAt) {
			heard(worker, receivedAt);
		}

		@Override
		public void workerStateUpdated(SourceWorker worker, Instant receivedAt) {
			heard(worker, receivedAt);
		}

		@Override
		public void buildStarted(SourceBuild build, Instant receivedAt) {
			buildsChanged();
		}

		@Override
		public void buildFinished(SourceBuild build, Instant receivedAt) {
			buildsChanged();
		}

		@Override
		public void streamUp(Instant at) {
			logger.info("Master '" + this.master + "' is heard live (event stream up); polled every reconcile-interval"
					+ " while it stays up");
			this.wasDown = false;
			this.up = true;
			this.reconciled = null;
			later(Duration.ZERO, () -> {
				LiveStreams.this.polls.getObject().reconcile(this.master);
				this.reconciled = LiveStreams.this.clock.instant();
			});
		}

		@Override
		public void streamDown(SourceStreamStatus status, Duration retryIn) {
			if (!this.wasDown) {
				logger.info("Master '" + this.master + "' is polled only: its event stream is "
						+ status.state().name().toLowerCase(Locale.ROOT) + " (" + status.reason()
						+ "); trying again in " + retryIn);
			}
			this.wasDown = true;
			if (this.up) {
				this.up = false;
				this.wentDown = status.since();
			}
		}

		private void heard(SourceWorker worker, Instant receivedAt) {
			boolean first;
			synchronized (this.pending) {
				first = this.pending.isEmpty();
				this.pending.add(new StreamStore.Heard(worker, receivedAt));
			}
			if (first) {
				later(WORKER_BATCH, this::storeBatch);
			}
		}

		private void storeBatch() {
			List<StreamStore.Heard> batch;
			synchronized (this.pending) {
				batch = List.copyOf(this.pending);
				this.pending.clear();
			}
			StreamStore.Saved saved = LiveStreams.this.transactions.execute((status) -> {
				StreamStore.Saved stored = LiveStreams.this.store.saveHeard(this.master, batch);
				if (stored.changes() > 0) {
					LiveStreams.this.events.publishEvent(new FleetHeard(this.master, LiveStreams.this.clock.instant(),
							stored.changes(), stored.connections()));
				}
				return stored;
			});
			if (saved != null && saved.massDisconnect()) {
				// A stopping master sends its workers' disconnects and may leave the stream open, silent, until a ping
				// goes unanswered: asking it now tells its outage (no answer) from workers that dropped (an answer).
				later(Duration.ZERO, () -> LiveStreams.this.polls.getObject().pollWorkersOf(this.master));
			}
		}

		private void buildsChanged() {
			if (this.buildsPollDue.compareAndSet(false, true)) {
				later(BuildsPollSpacing.BATCH, this::pollBuildsWhenDue);
			}
		}

		/** Polls the master's builds if the spacing allows it now, else looks again a moment later. */
		private void pollBuildsWhenDue() {
			Instant now = LiveStreams.this.clock.instant();
			if (!this.spacing.due(now)) {
				later(BuildsPollSpacing.BATCH, this::pollBuildsWhenDue);
				return;
			}
			this.buildsPollDue.set(false);
			this.spacing.polled(now);
			LiveStreams.this.polls.getObject().pollBuildsOf(this.master);
		}

		private void later(Duration delay, Runnable task) {
			LiveStreams.this.tasks.later(this.master, delay, task);
		}

	}

}
