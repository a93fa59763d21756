package org.fleethealth.fleet.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.fleethealth.fleet.MasterInterruption;
import org.fleethealth.fleet.PollKind;
import org.fleethealth.source.SourceMaster;
import org.fleethealth.system.Durations;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes how the polls of a master went: its state row, each kind of poll's outcome and back-off, its outages,
 * and the master processes behind its API with their restarts. Each method is one transaction.
 */
@Component
public class MasterStore {

	// A stream whose master's host died without closing the connection is found down only when a ping goes
	// unanswered (buildbot.stream-ping-interval, 30 s: within a minute); two heartbeats is as wide as polling the
	// processes every minute makes a restart, and leaves room for that.
	private static final Duration STREAM_MARGIN = Heartbeats.PERIOD.multipliedBy(2);

	private final MasterStates masters;

	private final PollStates polls;

	private final MasterEvents events;

	private final SourceMasterStates sourceMasters;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate separately;

	MasterStore(MasterStates masters, PollStates polls, MasterEvents events, SourceMasterStates sourceMasters,
			JdbcTemplate jdbc, PlatformTransactionManager transactions) {
		this.masters = masters;
		this.polls = polls;
		this.events = events;
		this.sourceMasters = sourceMasters;
		this.jdbc = jdbc;
		this.separately = new TransactionTemplate(transactions);
		this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * The master's state row with its configured URL, made the first time the master is polled. Both poll jobs may
	 * meet a new master at once, on different instances of a cluster: the row's unique name settles which one
	 * makes it, and the other reads it.
	 */
	@Transactional
	public MasterState master(String name, String url) {
		MasterState state = this.masters.findByName(name).orElse(null);
		if (state == null) {
			create(name, url);
			state = this.masters.findByName(name)
				.orElseThrow(() -> new IllegalStateException("No state row for master '" + name + "'"));
		}
		state.setUrl(url);
		return state;
	}

	/**
	 * Inserts the row unless another instance did, in a transaction of its own (on PostgreSQL a failed statement
	 * ends the caller's transaction) and through JDBC: Hibernate logs every constraint violation as a warning with
	 * the database's "ERROR: duplicate key", although losing this race is expected and harmless.
	 */
	void create(String name, String url) {
		try {
			this.separately.executeWithoutResult(
					(status) -> this.jdbc.update("insert into master_state (name, url) values (?, ?)", name, url));
		}
		catch (DuplicateKeyException ex) {
			// Another instance (or the other poll job) made it first.
		}
	}

	/**
	 * A poll succeeded; a workers poll also ends an outage of the master's API, and the other kinds, which backed off
	 * through the outage, are tried at their next interval: the master answers again, and it reads as up only once
	 * every kind has answered.
	 */
	@Transactional
	public void succeeded(String master, PollKind kind, Instant at) {
		pollState(master, kind).succeeded(at);
		if (kind == PollKind.WORKERS) {
			this.events.open(master, MasterInterruption.Kind.UNREACHABLE).ifPresent((e) -> {
				e.end(at);
				this.polls.findByMaster(master)
					.stream()
					.filter((p) -> p.getKind() != kind && p.getConsecutiveFailures() > 0)
					.forEach(PollState::retryNow);
			});
		}
		boolean othersFailing = othersFailing(master, kind);
		this.masters.findByName(master).ifPresent((state) -> state.succeeded(kind, at, othersFailing));
	}

	/**
	 * Whether another kind of poll of the master is failing now: a builds poll that succeeds while the workers
	 * endpoint keeps failing does not make the master up.
	 */
	private boolean othersFailing(String master, PollKind kind) {
		return this.polls.findByMaster(master)
			.stream()
			.anyMatch((p) -> p.getKind() != kind && p.getConsecutiveFailures() > 0);
	}

	/**
	 * The master's live stream is up: the stored connection state is current as of {@code at}, as if a workers
	 * poll had just read it (its workers were seen, the master answers). The poll's own state is left alone, so
	 * the next reconciliation still comes on time.
	 */
	@Transactional
	public void heardLive(String master, Instant at) {
		boolean othersFailing = othersFailing(master, PollKind.WORKERS);
		this.masters.findByName(master).ifPresent((state) -> state.succeeded(PollKind.WORKERS, at, othersFailing));
		this.events.open(master, MasterInterruption.Kind.UNREACHABLE).ifPresent((e) -> e.end(at));
	}

	/**
	 * A poll failed; a failed workers poll (the master's heartbeat endpoint) starts an outage, from the last time
	 * it answered, unless one is open.
	 */
	@Transactional
	public void failed(String master, PollKind kind, String error, Instant at, Instant nextAttempt) {
		this.masters.findByName(master).ifPresent((state) -> {
			if (kind == PollKind.WORKERS && this.events.open(master, MasterInterruption.Kind.UNREACHABLE).isEmpty()) {
				Instant from = (state.getWorkersPolledAt() != null) ? state.getWorkersPolledAt() : at;
				this.events.save(new MasterEvent(master, MasterInterruption.Kind.UNREACHABLE, from, null, error));
			}
			state.failed(kind, error, at, nextAttempt);
		});
		pollState(master, kind).failed(at, nextAttempt);
	}

	/** The back-off of one kind of poll of a master, {@code null} before its first attempt. */
	@Transactional(readOnly = true)
	public PollState backoff(String master, PollKind kind) {
		return this.polls.findByMasterAndKind(master, kind).orElse(null);
	}

	private PollState pollState(String master, PollKind kind) {
		return this.polls.findByMasterAndKind(master, kind)
			.orElseGet(() -> this.polls.save(new PollState(master, kind)));
	}

	/**
	 * Records the master processes behind the API and the restarts their heartbeats show since the last look
	 * ({@link Heartbeats}).
	 *
	 * @param servedUntil when the master's event stream last went down after it was up, or {@code null}: where the
	 * API has one process, that process served the stream and so ran until about then, and a restart seen now began
	 * after it, however long ago the processes were last read (a master heard live has them read only to reconcile)
	 */
	@Transactional
	public void saveSourceMasters(String master, List<SourceMaster> seen, Instant now, Instant servedUntil) {
		Map<Long, SourceMasterState> known = this.sourceMasters.findByMaster(master)
			.stream()
			.collect(Collectors.toMap(SourceMasterState::getBuildbotId, Function.identity()));
		Instant ranUntil = (known.size() == 1 && seen.size() == 1 && servedUntil != null)
				? servedUntil.minus(STREAM_MARGIN) : null;
		for (SourceMaster observed : seen) {
			SourceMasterState state = known.get(observed.id());
			if (state == null) {
				state = new SourceMasterState(master, observed.id());
			}
			else {
				restart(master, state, observed, ranUntil);
			}
			state.seen(observed, now);
			if (state.isNew()) {
				this.sourceMasters.save(state);
			}
		}
	}

	/**
	 * How many Buildbot master processes the API listed when last read: with one, a live stream shows that it runs,
	 * since it is the one serving the stream.
	 */
	@Transactional(readOnly = true)
	public int processes(String master) {
		return this.sourceMasters.countByMaster(master);
	}

	/** The later of its last heartbeat read and {@code ranUntil}, never after the heartbeat just read. */
	private static Instant lastSeenRunning(SourceMasterState before, SourceMaster now, Instant ranUntil) {
		Instant running = Durations.latest(before.getLastActive(), ranUntil);
		if (running != null && now.lastActive() != null && running.isAfter(now.lastActive())) {
			// The master's clock and this one's differ: never begin after the heartbeat that ends it.
			return now.lastActive();
		}
		return running;
	}

	/**
	 * Records what two looks at one process show. {@code ranUntil} (or {@code null}) is when the process is known to
	 * have run, beyond its last heartbeat read: a restart began after it.
	 */
	private void restart(String master, SourceMasterState before, SourceMaster now, Instant ranUntil) {
		Instant lastSeenRunning = lastSeenRunning(before, now, ranUntil);
		String who = "Buildbot master " + ((now.name() != null) ? "'" + now.name() + "' " : "") + "(id " + now.id()
				+ ")";
		switch (Heartbeats.compare(before.isActive(), before.getLastActive(), now)) {
			case STOPPED -> this.events.save(new MasterEvent(master, MasterInterruption.Kind.RESTART,
					(lastSeenRunning != null) ? lastSeenRunning : now.lastActive(), null, who + " stopped"));
			case STARTED -> this.events.open(master, MasterInterruption.Kind.RESTART)
				.ifPresentOrElse((e) -> e.end(now.lastActive()),
						() -> this.events.save(new MasterEvent(master, MasterInterruption.Kind.RESTART,
								lastSeenRunning, now.lastActive(), who + " started again")));
			case RESTARTED -> this.events.save(new MasterEvent(master, MasterInterruption.Kind.RESTART,
					lastSeenRunning, now.lastActive(),
					who + " restarted: its heartbeat left Buildbot's 60 s rhythm"));
			case NONE -> {
			}
		}
	}

}
