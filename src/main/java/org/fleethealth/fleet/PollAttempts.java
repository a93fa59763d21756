package org.fleethealth.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.fleet.internal.LiveStreams;
import org.fleethealth.fleet.internal.MasterState;
import org.fleethealth.fleet.internal.MasterStore;
import org.fleethealth.fleet.internal.PollRuns;
import org.fleethealth.fleet.internal.PollState;
import org.fleethealth.source.FleetSource;
import org.fleethealth.source.FleetSources;
import org.fleethealth.source.SourceException;
import org.fleethealth.system.Durations;
import org.springframework.stereotype.Component;

/**
 * One kind of poll of one master, or why it is skipped: the service stopping, its stream heard live, its back-off.
 * A failure is recorded (error, metric, back-off) and never touches what is stored about the master.
 */
@Component
class PollAttempts {

	// The category the poll's lines have always had: log settings and searches name PollService.
	private static final Log logger = LogFactory.getLog(PollService.class);

	private final MasterStore masterStore;

	private final PollProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	private final PollRuns runs;

	private final LiveStreams streams;

	private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

	PollAttempts(List<FleetSources> sources, MasterStore masterStore, PollProperties properties, Clock clock,
			MeterRegistry meters, PollRuns runs, LiveStreams streams) {
		this.masterStore = masterStore;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
		this.runs = runs;
		this.streams = streams;
		// Export error and attempt counters from the start, so rates are defined before the first error.
		for (FleetSource source : sources.stream().flatMap((s) -> s.sources().stream()).toList()) {
			for (PollKind kind : PollKind.values()) {
				errors(source.masterName(), kind);
				attempts(source.masterName(), kind);
			}
		}
	}

	/** A master's lock, taken by its workers and its builds polls alike. */
	ReentrantLock lock(FleetSource source) {
		return this.locks.computeIfAbsent(source.masterName(), (m) -> new ReentrantLock());
	}

	/** Why a master is polled, which says what may skip the poll. */
	enum Occasion {

		/**
		 * The poll job: skipped while the master backs off, or while its stream is live and it was polled within
		 * {@code reconcile-interval}.
		 */
		SCHEDULED,
		/** Its stream told of builds: skipped only while the master backs off. */
		STREAM_ASKED,
		/**
		 * Its stream came (back) up: never skipped. The master answers again, so the back-off of the polls that
		 * failed while it was away no longer holds, and what happened meanwhile was not heard.
		 */
		STREAM_UP

	}

	/** Runs one kind of poll of a master, unless the occasion lets it be skipped now ({@link Occasion}). */
	boolean attempt(FleetSource source, PollKind kind, Duration interval, Occasion occasion, Runnable poll) {
		if (this.runs.stopping()) {
			return false;
		}
		String master = source.masterName();
		masterState(source);
		if (occasion == Occasion.SCHEDULED && heardLive(master, kind)) {
			return false;
		}
		return attempt(source, kind, interval, occasion != Occasion.STREAM_UP, poll);
	}

	/**
	 * Whether a master's stream is live and this kind was polled recently enough. The stream keeps its connection
	 * state current, so that state counts as read now: its workers are neither "not seen" nor is the master silent.
	 */
	boolean heardLive(String master, PollKind kind) {
		if (!this.streams.isLive(master)) {
			return false;
		}
		Instant now = this.clock.instant();
		PollState state = this.masterStore.backoff(master, kind);
		Instant last = (state != null) ? state.getLastAttemptAt() : null;
		// A poll that failed is tried again at its backoff, stream or not: it left the master reading as failing,
		// and what it was to read unread, until the next reconciliation.
		boolean failing = state != null && state.getConsecutiveFailures() > 0;
		if (kind == PollKind.WORKERS && !failing) {
			// Not while its workers poll fails: a master can stop with its stream left open (it sends its workers'
			// disconnects, then answers nothing) until a ping goes unanswered, and its outage is the failed poll's.
			this.masterStore.heardLive(master, now);
		}
		return last != null && !failing && last.plus(this.properties.reconcileInterval()).isAfter(now);
	}

	/**
	 * Whether a master heard live has a poll of this kind that failed last time: the poll job tries it again at its
	 * back-off, without what the stream makes needless around it.
	 */
	boolean failingWhileLive(String master, PollKind kind) {
		if (!this.streams.isLive(master)) {
			return false;
		}
		PollState state = this.masterStore.backoff(master, kind);
		return state != null && state.getConsecutiveFailures() > 0;
	}

	private boolean attempt(FleetSource source, PollKind kind, Duration interval, boolean backsOff, Runnable poll) {
		String master = source.masterName();
		Instant now = this.clock.instant();
		// Each kind backs off on its own: a failing builds request neither delays the heartbeat nor is reset by
		// the builders request that succeeds before it.
		PollState backoff = this.masterStore.backoff(master, kind);
		int failures = (backoff != null) ? backoff.getConsecutiveFailures() : 0;
		if (backsOff && backoff != null && backoff.getNextAttemptAt() != null
				&& backingOff(now, backoff.getNextAttemptAt(), interval)) {
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
			// The master's own failure is shown as it came; fleet-health's own (a database error, with its SQL) is
			// named on pages and in the API, and told in full in the log only.
			String message = (ex instanceof SourceException) ? ex.getMessage()
					: "fleet-health failed storing what it read (" + ex.getClass().getSimpleName()
							+ "; the service's log has the details)";
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

	private MasterState masterState(FleetSource source) {
		return this.masterStore.master(source.masterName(), source.url());
	}

	/**
	 * Whether a poll at {@code now} still waits for {@code nextAttempt}. The retry is the poll job's run nearest to
	 * it: the job runs every {@code interval} from when it was scheduled, and a failed attempt ends a moment after
	 * its run started, so the run that should retry fires a few milliseconds before the instant the failure set
	 * (one interval after it ended). Compared exactly, that run was skipped and each retry came one interval late.
	 */
	static boolean backingOff(Instant now, Instant nextAttempt, Duration interval) {
		return now.plus(interval.dividedBy(2)).isBefore(nextAttempt);
	}

	/** The first failure waits one interval, then each further failure doubles the wait up to the maximum. */
	Duration backoff(Duration interval, int failures) {
		return Durations.backoff(interval, failures, this.properties.backoffMax());
	}

}
