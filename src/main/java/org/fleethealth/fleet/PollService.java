package org.fleethealth.fleet;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.fleethealth.fleet.PollAttempts.Occasion;
import org.fleethealth.fleet.internal.PollRuns;
import org.fleethealth.source.FleetSource;
import org.fleethealth.source.FleetSources;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Polls every source: worker heartbeats, builders, builds by cursor, and the steps of failed builds. A
 * failing master is recorded (error, metric, back-off) and never touches what is stored about it.
 * <p>
 * This keeps what the jobs and the streams ask for, the runs a stop waits for, and the {@link FleetPolled} events;
 * {@link WorkersPoll} and {@link BuildsPoll} read, each read an attempt of {@link PollAttempts}.
 */
@Service
public class PollService {

	private final List<FleetSource> sources;

	private final WorkersPoll workers;

	private final BuildsPoll builds;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final PollRuns runs;

	private final TransactionTemplate transactions;

	PollService(List<FleetSources> sources, WorkersPoll workers, BuildsPoll builds, Clock clock,
			ApplicationEventPublisher events, PollRuns runs, TransactionTemplate transactions) {
		this.sources = sources.stream().flatMap((s) -> s.sources().stream()).toList();
		this.workers = workers;
		this.builds = builds;
		this.clock = clock;
		this.events = events;
		this.runs = runs;
		this.transactions = transactions;
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
	 * connections current. Its waiting build requests and the activity of disconnected workers' builds are read
	 * every time, as the stream carries neither; its master processes too where the API has several
	 * ({@link org.fleethealth.fleet.internal.WorkerReads#readHeardLive}).
	 */
	public void pollWorkers() {
		run("workers", () -> announce(this.workers.poll(this.sources, Occasion.SCHEDULED), PollKind.WORKERS));
	}

	/**
	 * Reads builders, new builds and the steps of failed builds from every master not backing off; a master heard
	 * live only every {@code reconcile-interval}, besides the reads its stream asks for ({@link #pollBuildsOf}).
	 */
	public void pollBuilds() {
		run("builds", () -> announce(this.builds.poll(this.sources, Occasion.SCHEDULED, true), PollKind.BUILDS));
	}

	/**
	 * Reads one master's workers and builds now, whatever its stream says and even while its polls back off: its
	 * stream came (back) up, so the master answers again, and what happened while the stream was down was not heard.
	 */
	public void reconcile(String master) {
		source(master).ifPresent((source) -> {
			run("workers", () -> announce(this.workers.poll(List.of(source), Occasion.STREAM_UP), PollKind.WORKERS));
			run("builds", () -> announce(this.builds.poll(List.of(source), Occasion.STREAM_UP, true), PollKind.BUILDS));
		});
	}

	/**
	 * Reads one master's workers now (and its master processes and waiting build requests, as a workers poll does),
	 * unless it backs off: its stream heard half or more of its connected workers (the last one, say) drop at once. That is what a
	 * master that stops sends before it goes quiet, often with its stream left open until a ping goes unanswered; the
	 * poll tells an outage of the master (it fails: its workers turn {@code unknown}, not {@code offline}) from
	 * workers that dropped (it answers).
	 */
	public void pollWorkersOf(String master) {
		source(master).ifPresent((source) -> run("workers",
				() -> announce(this.workers.poll(List.of(source), Occasion.STREAM_ASKED), PollKind.WORKERS)));
	}

	/**
	 * Reads one master's new and finished builds (and their failing steps) now: its stream said builds started or
	 * finished, and the stream's builds carry neither revision nor branch. Not its builders: the configuration is
	 * the reconciliation's to read, and a large master's builders list is most of a builds poll's bytes.
	 */
	public void pollBuildsOf(String master) {
		source(master).ifPresent((source) -> run("builds",
				() -> announce(this.builds.poll(List.of(source), Occasion.STREAM_ASKED, false), PollKind.BUILDS)));
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

	/** The configured masters' names, in configuration order. */
	public List<String> masterNames() {
		return this.sources.stream().map(FleetSource::masterName).toList();
	}

}
