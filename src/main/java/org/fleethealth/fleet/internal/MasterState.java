package org.fleethealth.fleet.internal;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.fleethealth.fleet.PollKind;
import org.fleethealth.fleet.MasterStatus;

/** What fleet-health knows about polling one master: last success, last error, back-off and build cursor. */
@Entity
@Table(name = "master_state")
public class MasterState {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String name;

	private String url;

	private Instant lastAttemptAt;

	private Instant lastSuccessAt;

	private Instant workersPolledAt;

	private Instant buildsPolledAt;

	private String lastError;

	private String lastErrorKind;

	private Instant lastErrorAt;

	private int consecutiveFailures;

	private Instant nextAttemptAt;

	/** The highest build id stored; {@code null} until the first backfill. */
	@Column(name = "build_cursor")
	private Long buildCursor;

	protected MasterState() {
	}

	MasterState(String name, String url) {
		this.name = name;
		this.url = url;
	}

	/**
	 * A poll of one kind succeeded. While another kind is failing ({@code othersFailing}) the master's failure
	 * count, error and next attempt stay: it is not up until every kind works again.
	 */
	void succeeded(PollKind kind, Instant at, boolean othersFailing) {
		this.lastAttemptAt = at;
		this.lastSuccessAt = at;
		if (kind == PollKind.WORKERS) {
			this.workersPolledAt = at;
		}
		else if (kind == PollKind.BUILDS) {
			this.buildsPolledAt = at;
		}
		if (!othersFailing) {
			this.consecutiveFailures = 0;
			this.nextAttemptAt = null;
		}
	}

	void failed(PollKind kind, String error, Instant at, Instant nextAttempt) {
		this.lastAttemptAt = at;
		this.lastError = (error.length() > 2000) ? error.substring(0, 2000) : error;
		this.lastErrorKind = kind.label();
		this.lastErrorAt = at;
		this.consecutiveFailures++;
		this.nextAttemptAt = nextAttempt;
	}

	void setUrl(String url) {
		this.url = url;
	}

	void setBuildCursor(Long buildCursor) {
		this.buildCursor = buildCursor;
	}

	/** Whether polling works: some poll has succeeded, and the last attempt of any kind did not fail. */
	public boolean isUp() {
		return this.lastSuccessAt != null && this.consecutiveFailures == 0;
	}

	public Long getId() {
		return this.id;
	}

	public String getName() {
		return this.name;
	}

	public String getUrl() {
		return this.url;
	}

	public Instant getLastAttemptAt() {
		return this.lastAttemptAt;
	}

	public Instant getLastSuccessAt() {
		return this.lastSuccessAt;
	}

	public Instant getWorkersPolledAt() {
		return this.workersPolledAt;
	}

	public Instant getBuildsPolledAt() {
		return this.buildsPolledAt;
	}

	public String getLastError() {
		return this.lastError;
	}

	public String getLastErrorKind() {
		return this.lastErrorKind;
	}

	public Instant getLastErrorAt() {
		return this.lastErrorAt;
	}

	public int getConsecutiveFailures() {
		return this.consecutiveFailures;
	}

	public Instant getNextAttemptAt() {
		return this.nextAttemptAt;
	}

	public Long getBuildCursor() {
		return this.buildCursor;
	}

	/** What other modules read of it. */
	public MasterStatus view() {
		return new MasterStatus(this.name, this.url, isUp(), this.lastAttemptAt, this.lastSuccessAt,
				this.workersPolledAt, this.buildsPolledAt, this.lastError, this.lastErrorKind, this.lastErrorAt,
				this.consecutiveFailures, this.nextAttemptAt, this.buildCursor);
	}
}
