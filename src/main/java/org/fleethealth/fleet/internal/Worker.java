package org.fleethealth.fleet.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.fleethealth.source.SourceWorker;
import org.fleethealth.system.Durations;
import org.fleethealth.fleet.FleetWorker;

/**
 * A worker as observed over time. Buildbot has no "last seen": {@code lastSeenAt} is the last poll that saw
 * it connected, and connect/disconnect times are recorded by fleet-health itself, so they survive restarts
 * of both the master and this service.
 */
@Entity
@Table(name = "worker")
public class Worker {

	/** Bounds of the columns that take text from the master (V1). */
	static final int MAX_NAME = 200;

	static final int MAX_ADMIN = 500;

	static final int MAX_HOST = 2000;

	static final int MAX_VERSION = 100;

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String master;

	private String name;

	private long buildbotId;

	// Whether the master still has it in its configuration (Buildbot keeps removed workers listed).
	private boolean configured;

	// Since when its master has listed it as configured nowhere, while it is still kept in the fleet.
	private Instant unconfiguredSince;

	private boolean connected;

	private boolean everConnected;

	private boolean paused;

	static final int MAX_PAUSE_REASON = 500;

	// Since when fleet-health has seen it paused (Buildbot does not say), or null while it is not.
	private Instant pausedSince;

	private String pauseReason;

	// When fleet-health last saw it unpaused, or null if never: work that waited while it was paused is not its fault.
	private Instant unpausedAt;

	// Comma-separated ids of the master processes it is connected to / configured on (a Buildbot cluster).
	private String connectedTo = "";

	private String configuredOn = "";

	// Written only by WorkerStore with SQL: when a step of its running build last finished while it was listed as
	// disconnected (its build goes on).
	@Column(insertable = false, updatable = false)
	private Instant lastActivityAt;

	private Instant firstSeenAt;

	// For a disconnected worker, the last poll that saw it connected; for a connected one, when it connected
	// (read it with lastSeen(workersPolledAt)).
	private Instant lastSeenAt;

	private Instant connectedSince;

	private Instant disconnectedAt;

	private String admin;

	private String host;

	private String version;

	private String builderIds = "";

	// Written only with SQL as builds are stored (by BuildStore; by WorkerStore for a worker new to it): the
	// heartbeat poll saves workers concurrently with the builds poll, and a whole-row update from a stale entity
	// would otherwise undo a newer value.
	@Column(insertable = false, updatable = false)
	private Instant lastBuildFinishedAt;

	protected Worker() {
	}

	Worker(String master, String name, Instant firstSeenAt) {
		this.master = master;
		this.name = name;
		this.firstSeenAt = firstSeenAt;
	}

	/**
	 * Applies one observation and tells whether the connection state changed. The first observation of a
	 * disconnected worker is not a transition: fleet-health does not know when it went away.
	 *
	 * @param previousPoll the last successful workers poll before this one (it saw the worker if it was
	 * connected), or {@code null}
	 */
	Transition observe(SourceWorker seen, Instant now, Instant previousPoll, Duration unconfiguredAfter,
			Set<Long> inactiveMasters) {
		boolean isNew = this.id == null;
		this.buildbotId = seen.id();
		Set<Long> masters = getConfiguredOn();
		boolean mastersDead = !masters.isEmpty() && inactiveMasters.containsAll(masters);
		configuration(seen, isNew, now, mastersDead ? null : unconfiguredAfter);
		this.connectedTo = ids(seen.connectedTo());
		if (!seen.configuredOn().isEmpty() || !this.configured) {
			// While a master restarts it lists no configuration; the masters the worker belongs to are kept.
			this.configuredOn = ids(seen.configuredOn());
		}
		if (seen.hasReportedInfo()) {
			this.admin = seen.admin();
			this.host = seen.host();
			this.version = seen.version();
			this.everConnected = true;
		}
		Transition transition = Transition.NONE;
		if (seen.connected()) {
			this.everConnected = true;
			if (isNew || !this.connected) {
				this.lastSeenAt = now;
				this.connectedSince = now;
				transition = Transition.CONNECTED;
			}
		}
		else if (!isNew && this.connected) {
			this.disconnectedAt = now;
			this.lastSeenAt = Durations.latest(this.lastSeenAt, previousPoll);
			transition = Transition.DISCONNECTED;
		}
		this.connected = seen.connected();
		return transition;
	}

	/**
	 * Applies the pause state seen and tells whether it changed: Buildbot does not say since when a worker is
	 * paused, so fleet-health keeps that itself. A worker first seen paused is paused since then, as far as is
	 * known.
	 */
	Pause observePause(SourceWorker seen, Instant now) {
		boolean was = this.paused;
		this.paused = seen.paused();
		if (seen.paused()) {
			this.pauseReason = seen.pauseReason();
			if (!was) {
				this.pausedSince = now;
				return Pause.PAUSED;
			}
			return Pause.NONE;
		}
		this.pausedSince = null;
		this.pauseReason = null;
		if (was) {
			this.unpausedAt = now;
			return Pause.UNPAUSED;
		}
		return Pause.NONE;
	}

	/** A pause change seen by a poll. */
	enum Pause {

		NONE, PAUSED, UNPAUSED

	}

	private static String ids(Set<Long> ids) {
		return ids.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
	}

	/**
	 * Whether the worker is (still) in its master's configuration, and on which builders. Buildbot unlinks every
	 * worker from a master while it stops and starts again, and its API answers in between: a configured worker
	 * leaves the fleet only when it has been listed as configured nowhere for {@code unconfiguredAfter}, keeping
	 * its builders until then; never ({@code unconfiguredAfter} {@code null}) while the master processes it was
	 * configured on are inactive (Buildbot unlinks the workers of a master it finds dead).
	 */
	private void configuration(SourceWorker seen, boolean isNew, Instant now, Duration unconfiguredAfter) {
		boolean linked = !seen.configuredBuilderIds().isEmpty();
		boolean listed = linked || seen.connected();
		if (listed && !linked && !isNew && this.configured && !this.builderIds.isEmpty()) {
			// Connected but on no builder: what a master that has just started answers for a worker that reconnected
			// before its builders were linked again (the lab, on every restart). Its builders are kept as for a
			// worker listed nowhere: dropping them for that moment left its builders without a worker, and its
			// failing streak with them ('failing-build', 'healthy', 'failing-build' within a second).
			keepBuildersUnlinked(now, unconfiguredAfter, false);
			return;
		}
		if (listed || isNew || !this.configured) {
			this.configured = listed;
			this.unconfiguredSince = null;
			this.builderIds = seen.configuredBuilderIds()
				.stream()
				.sorted()
				.map(String::valueOf)
				.collect(Collectors.joining(","));
			return;
		}
		keepBuildersUnlinked(now, unconfiguredAfter, true);
	}

	/**
	 * Keeps the builders of a worker its master lists on none, until {@code unconfiguredAfter} has passed since it
	 * first did (never while it is {@code null}); then drops them, and the worker too where {@code leaves}.
	 */
	private void keepBuildersUnlinked(Instant now, Duration unconfiguredAfter, boolean leaves) {
		if (unconfiguredAfter == null) {
			this.unconfiguredSince = null;
			return;
		}
		if (this.unconfiguredSince == null) {
			this.unconfiguredSince = now;
		}
		if (Duration.between(this.unconfiguredSince, now).compareTo(unconfiguredAfter) >= 0) {
			this.configured = !leaves;
			this.builderIds = "";
			this.unconfiguredSince = leaves ? this.unconfiguredSince : null;
		}
	}

	/** The worker is no longer listed by its master at all. */
	void vanished(Instant now, Instant previousPoll) {
		if (this.connected) {
			this.disconnectedAt = now;
			this.lastSeenAt = Durations.latest(this.lastSeenAt, previousPoll);
		}
		this.connected = false;
		this.configured = false;
	}

	/** A connection change seen by a poll. */
	enum Transition {

		NONE, CONNECTED, DISCONNECTED

	}

	public Long getId() {
		return this.id;
	}

	public String getMaster() {
		return this.master;
	}

	public String getName() {
		return this.name;
	}

	public long getBuildbotId() {
		return this.buildbotId;
	}

	/** The builders its master's configuration has it serve, as stored; empty where it is in none. */
	String linkedBuilders() {
		return this.configured ? this.builderIds : "";
	}

	public boolean isConnected() {
		return this.connected;
	}

	/** Why it is paused, where the master says (Buildbot 4.x), or {@code null}. */
	public String getPauseReason() {
		return this.pauseReason;
	}

	/** The ids of the master processes that have it in their configuration. */
	public Set<Long> getConfiguredOn() {
		return builderIds(this.configuredOn);
	}

	/**
	 * The last poll that saw the worker connected. A connected worker was seen by the master's last successful
	 * workers poll: that is not written to every worker row on every heartbeat (10,000 row updates a minute in a
	 * large fleet), only when a worker disconnects.
	 *
	 * @param workersPolledAt the master's last successful workers poll, or {@code null}
	 */
	public Instant lastSeen(Instant workersPolledAt) {
		return this.connected ? Durations.latest(this.lastSeenAt, workersPolledAt) : this.lastSeenAt;
	}

	public String getAdmin() {
		return this.admin;
	}

	public String getHost() {
		return this.host;
	}

	/** When the worker last finished a build, as far as stored builds tell. */
	public Instant getLastBuildFinishedAt() {
		return this.lastBuildFinishedAt;
	}

	public Set<Long> getBuilderIds() {
		return builderIds(this.builderIds);
	}

	/** The builder ids of the stored, comma-separated form. */
	public static Set<Long> builderIds(String stored) {
		if (stored == null || stored.isEmpty()) {
			return Set.of();
		}
		return Arrays.stream(stored.split(",")).map(Long::valueOf).collect(Collectors.toCollection(TreeSet::new));
	}

	/** What other modules read of it. */
	public FleetWorker view() {
		return new FleetWorker(this.id, this.master, this.name, this.buildbotId, this.configured, this.connected,
				this.everConnected, this.paused, this.pausedSince, this.pauseReason, this.firstSeenAt, this.lastSeenAt,
				this.connectedSince, this.disconnectedAt, this.admin, this.host, this.version, getBuilderIds(),
				this.lastBuildFinishedAt, builderIds(this.connectedTo), getConfiguredOn(), this.lastActivityAt,
				this.unpausedAt);
	}
}
