package org.fleethealth.fleet.internal;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.fleethealth.fleet.PollKind;
import org.fleethealth.fleet.PollKindState;

/**
 * The back-off of one kind of poll of one master: each kind counts its own consecutive failures and waits on
 * its own, so a builds or steps request that keeps failing neither delays the heartbeat nor is reset by the
 * builders poll that succeeds before it.
 */
@Entity
@Table(name = "poll_state")
public class PollState {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String master;

	@Enumerated(EnumType.STRING)
	private PollKind kind;

	private Instant lastAttemptAt;

	private Instant lastSuccessAt;

	private int consecutiveFailures;

	private Instant nextAttemptAt;

	protected PollState() {
	}

	PollState(String master, PollKind kind) {
		this.master = master;
		this.kind = kind;
	}

	void succeeded(Instant at) {
		this.lastAttemptAt = at;
		this.lastSuccessAt = at;
		this.consecutiveFailures = 0;
		this.nextAttemptAt = null;
	}

	/**
	 * Tries this kind again at its next interval rather than at the end of its back-off: the failures it counts came
	 * from an outage of the whole master, which has ended. The count stays, so a kind that still fails waits longer.
	 */
	void retryNow() {
		this.nextAttemptAt = null;
	}

	void failed(Instant at, Instant nextAttempt) {
		this.lastAttemptAt = at;
		this.consecutiveFailures++;
		this.nextAttemptAt = nextAttempt;
	}

	public PollKind getKind() {
		return this.kind;
	}

	public int getConsecutiveFailures() {
		return this.consecutiveFailures;
	}

	/** When this kind of poll was last tried, or {@code null}. */
	public Instant getLastAttemptAt() {
		return this.lastAttemptAt;
	}

	public Instant getNextAttemptAt() {
		return this.nextAttemptAt;
	}

	public PollKindState view() {
		return new PollKindState(this.kind, this.lastAttemptAt, this.lastSuccessAt, this.consecutiveFailures,
				this.nextAttemptAt);
	}

}
