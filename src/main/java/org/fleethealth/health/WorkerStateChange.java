package org.fleethealth.health;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One entry of a worker's state history. */
@Entity
@Table(name = "worker_state_change")
class WorkerStateChange {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private Long workerId;

	private String state;

	private Instant since;

	private String evidence = "";

	protected WorkerStateChange() {
	}

	WorkerStateChange(Long workerId, Verdict verdict) {
		this.workerId = workerId;
		this.state = verdict.state().label();
		this.since = verdict.since();
		this.evidence = WorkerHealth.join(verdict.evidence());
	}

	WorkerState getState() {
		return WorkerState.fromLabel(this.state);
	}

	Instant getSince() {
		return this.since;
	}

	List<String> getEvidence() {
		return WorkerHealth.split(this.evidence);
	}

}
