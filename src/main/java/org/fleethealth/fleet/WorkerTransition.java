package org.fleethealth.fleet;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A connect or disconnect of a worker, as seen by a poll. */
@Entity
@Table(name = "worker_transition")
public class WorkerTransition {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private Long workerId;

	private boolean connected;

	@Column(name = "occurred_at")
	private Instant at;

	protected WorkerTransition() {
	}

	WorkerTransition(Long workerId, boolean connected, Instant at) {
		this.workerId = workerId;
		this.connected = connected;
		this.at = at;
	}

	public Long getWorkerId() {
		return this.workerId;
	}

	public boolean isConnected() {
		return this.connected;
	}

	public Instant getAt() {
		return this.at;
	}

}
