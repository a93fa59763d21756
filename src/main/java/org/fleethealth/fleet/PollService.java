package org.fleethealth.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.fleet.internal.BuildReads;
import org.fleethealth.fleet.internal.BuildStore;
import org.fleethealth.fleet.internal.LiveStreams;
import org.fleethealth.fleet.internal.MasterState;
import org.fleethealth.fleet.internal.MasterStore;
import org.fleethealth.fleet.internal.PollRuns;
import org.fleethealth.fleet.internal.PollState;
import org.fleethealth.fleet.internal.WorkerReads;
import org.fleethealth.source.FleetSource;
import org.fleethealth.source.FleetSources;
import org.fleethealth.source.SourceException;
import org.fleethealth.system.Durations;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Polls every source: worker heartbeats, builders, builds by cursor, and the steps of failed builds. A
 * failing master is recorded (error, metric, back-off) and never touches what is stored about it.
 */
@Service
public class PollService {

	private static final Log logger = LogFactory.getLog(PollService.class);

	private final List<FleetSource> sources;

	private final MasterStore masterStore;

	private final BuildStore buildStore;

	private final BuildReads buildReads;

	private final WorkerReads workerReads;

	private final PollProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	private final ApplicationEventPublisher events;

	private final PollRuns runs;

	private final TransactionTemplate transactions;

	private final LiveStreams streams;

	private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

	PollService(List<FleetSources> sources, MasterStore masterStore, BuildStore buildStore, BuildReads buildReads,
			WorkerReads workerReads, PollProperties properties, Clock clock, MeterRegistry meters,
			ApplicationEventPublisher events, PollRuns runs, TransactionTemplate transactions, LiveStreams streams) {
		this.transactions = transactions;
		this.streams = streams;
		this.runs = runs;
		this.sources = sources.stream().flatMap((s) -> s.sources().stream()).toList();
		this.masterStore = masterStore;
		this.buildStore = buildStore;
		this.buildReads = buildReads;
		this.workerReads = workerReads;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
		this.events = events;
		// Export error and attempt counters from the start, so rates are defined before the first error.
		for (FleetSource source : this.sources) {
			for (PollKind kind : PollKind.values()) {
				errors(source.masterName(), kind);
				attempts(source.masterName(), kind);
			}
		}
	}

	/**
	 * Publishes {@link FleetPolled} per master in a transaction of its own: the event publication registry records
	 * the reactions with it, and they run after its commit, off this thread.
	 */
	private void announce(Set<String> masters, PollKind kind) {
		Instant at = this.clock.instant();
		this.transactions.executeWithoutResult(
				(status) -> masters.forEach((master) -> this.events.publishEvent(new FleetPolled(master, kind, at))));
	}

	/**
	 * Reads worker connection state from every master that is not backing off. A master heard live (its event
	 * stream is up) has its workers list read only every {@code reconcile-interval}: the stream keeps its
	 * connections current. Its master processes, waiting build requests and the activity of disconnected workers'
	 * builds are read every time, as the stream carries none of them.
	 */
	public void pollWorkers() {
		run("workers", () -> announce(pollWorkers(this.sources, false), PollKind.WORKERS));
	}

	/**
	 * Reads builders, new builds and the steps of failed builds from every master not backing off; a master heard
	 * live only every {@code reconcile-interval}, besides the reads its stream asks for ({@link #pollBuildsOf}).
	 */
	public void pollBuilds() {
		run("builds", () -> announce(pollBuilds(this.sources, false), PollKind.BUILDS));
	}

	/**
	 * Reads one master's workers and builds now, whatever its stream says (unless it is backing off): its stream
	 * came (back) up, and what happened while it was down was not heard.
	 */
	public void reconcile(String master) {
		source(master).ifPresent((source) -> {
			run("workers", () -> announce(pollWorkers(List.of(source), true), PollKind.WORKERS));
			run("builds", () -> announce(pollBuilds(List.of(source), true), PollKind.BUILDS));
		});
	}

	/**
	 * Reads one master's new and finished builds (and their failing steps) now: its stream said builds started or
	 * finished, and the stream's builds carry neither revision nor branch. Not its builders: the configuration is
	 * the reconciliation's to read, and a large master's builders list is most of a builds poll's bytes.
	 */
	public void pollBuildsOf(String master) {
		source(master).ifPresent(
				(source) -> run("builds", () -> announce(pollBuilds(List.of(source), true, false), PollKind.BUILDS)));
	}

	private Optional<FleetSource> source(String master) {
		return this.sources.stream().filter((s) -> s.masterName().equals(master)).findFirst();
	}

	/** Runs a poll unless the service is stopping; an error of a poll cut short by the stop is not one. */
	private void run(String poll, Runnable body) {
		if (!this.runs.enter()) {
			return;
		}
		try {
			body.run();
		}
		catch (RuntimeException ex) {
			if (!this.runs.stopping()) {
				throw ex;
			}
		}
		finally {
			this.runs.exit(poll);
		}
	}

	private Set<String> pollWorkers(List<FleetSource> sources, boolean now) {
		Set<String> polled = new LinkedHashSet<>();
		for (FleetSource source : sources) {
			polled.add(source.masterName());
			lock(source).lock();
			try {
				if (!now && !this.runs.stopping() && heardLive(source.masterName(), PollKind.WORKERS)) {
					// The stream keeps the connections current; the rest of a workers poll it does not carry.
					this.workerReads.readBesidesWorkers(source);
				}
				else {
					attempt(source, PollKind.WORKERS, this.properties.workersInterval(), now,
							() -> this.workerReads.read(source));
				}
			}
			finally {
				lock(source).unlock();
			}
		}
		return polled;
	}

	private Set<String> pollBuilds(List<FleetSource> sources, boolean now) {
		return pollBuilds(sources, now, true);
	}

	private Set<String> pollBuilds(List<FleetSource> sources, boolean now, boolean builders) {
		Set<String> polled = new LinkedHashSet<>();
		for (FleetSource source : sources) {
			polled.add(source.masterName());
			// One builds poll of a master at a time: the job's and one its stream asked for would store the same
			// builds twice.
			lock(source).lock();
			try {
				Duration interval = this.properties.buildsInterval();
				boolean ok = !builders || attempt(source, PollKind.BUILDERS, interval, now,
						() -> this.buildStore.saveBuilders(source.masterName(), source.builders()));
				ok = ok && attempt(source, PollKind.BUILDS, interval, now, () -> this.buildReads.read(source));
				if (ok) {
					attempt(source, PollKind.STEPS, interval, now, () -> this.buildReads.readSteps(source));
				}
			}
			finally {
				lock(source).unlock();
			}
		}
		return polled;
	}

	private ReentrantLock lock(FleetSource source) {
		return this.locks.computeIfAbsent(source.masterName(), (m) -> new ReentrantLock());
	}

	/**
	 * Runs one kind of poll of a master unless it backs off, or unless its stream is live and it was polled within
	 * {@code reconcile-interval} ({@code now} skips only the latter).
	 */
	private boolean attempt(FleetSource source, PollKind kind, Duration interval, boolean now, Runnable poll) {
		if (this.runs.stopping()) {
			return false;
		}
		String master = source.masterName();
		masterState(source);
		if (!now && heardLive(master, kind)) {
			return false;
		}
		return attempt(source, kind, interval, poll);
	}

	/**
	 * Whether a master's stream is live and this kind was polled recently enough. The stream keeps its connection
	 * state current, so that state counts as read now: its workers are neither "not seen" nor is the master silent.
	 */
	private boolean heardLive(String master, PollKind kind) {
		if (!this.streams.isLive(master)) {
			return false;
		}
		Instant now = this.clock.instant();
		if (kind == PollKind.WORKERS) {
			this.masterStore.heardLive(master, now);
		}
		PollState state = this.masterStore.backoff(master, kind);
		Instant last = (state != null) ? state.getLastAttemptAt() : null;
		return last != null && last.plus(this.properties.reconcileInterval()).isAfter(now);
	}

	private boolean attempt(FleetSource source, PollKind kind, Duration interval, Runnable poll) {
		String master = source.masterName();
		Instant now = this.clock.instant();
		// Each kind backs off on its own: a failing builds request neither delays the heartbeat nor is reset by
		// the builders request that succeeds before it.
		PollState backoff = this.masterStore.backoff(master, kind);
		int failures = (backoff != null) ? backoff.getConsecutiveFailures() : 0;
		if (backoff != null && backoff.getNextAttemptAt() != null && now.isBefore(backoff.getNextAttemptAt())) {
			logger.debug("Polling " + kind.label() + " of master '" + master + "' is backing off until "
					+ backoff.getNextAttemptAt());
			return false;
		}
		attempts(master, kind).increment();
		Timer.Sample sample = Timer.start(this.meters);
		try {
			poll.run();
			this.masterStore.succeeded(master, kind, this.clock.instant());
			return true;
		}
		catch (RuntimeException ex) {
			if (this.runs.stopping()) {
				// Cut short by the stop, or failing as the service goes away: not the master's failure.
				return false;
			}
			Duration wait = backoff(interval, failures + 1);
			Instant at = this.clock.instant();
			String message = (ex instanceof SourceException) ? ex.getMessage()
					: ex.getClass().getSimpleName() + ": " + ex.getMessage();
			if (ex instanceof SourceException) {
				logger.warn("Polling " + kind.label() + " of master '" + master + "' failed (attempt "
						+ (failures + 1) + "; next try in " + wait + "): " + message);
			}
			else {
				logger.error("Polling " + kind.label() + " of master '" + master + "' failed unexpectedly", ex);
			}
			errors(master, kind).increment();
			this.masterStore.failed(master, kind, message, at, at.plus(wait));
			return false;
		}
		finally {
			sample.stop(Timer.builder("fleet.poll.duration")
				.description("Time taken by one poll of a master")
				.tag("master", master)
				.tag("kind", kind.label())
				.register(this.meters));
		}
	}

	private Counter errors(String master, PollKind kind) {
		return Counter.builder("fleet.poll.errors")
			.description("Polls of a master that failed")
			.tag("master", master)
			.tag("kind", kind.label())
			.register(this.meters);
	}

	private Counter attempts(String master, PollKind kind) {
		return Counter.builder("fleet.poll.attempts")
			.description("Polls of a master that were attempted (not counting ones skipped while backing off)")
			.tag("master", master)
			.tag("kind", kind.label())
			.register(this.meters);
	}

	/** Both jobs may meet a new master at once; the unique name settles it, the loser reads the winner's row. */
	private synchronized MasterState masterState(FleetSource source) {
		try {
			return this.masterStore.master(source.masterName(), source.url());
		}
		catch (DataIntegrityViolationException ex) {
			return this.masterStore.master(source.masterName(), source.url());
		}
	}

	/** The first failure waits one interval, then each further failure doubles the wait up to the maximum. */
	Duration backoff(Duration interval, int failures) {
		return Durations.backoff(interval, failures, this.properties.backoffMax());
	}

	/** The configured masters' names, in configuration order. */
	public List<String> masterNames() {
		return this.sources.stream().map(FleetSource::masterName).toList();
	}

}
