package org.fleethealth.health;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The current judgement of one worker. */
@Entity
@Table(name = "worker_health")
class WorkerHealth {

	static final String SEPARATOR = "\n";

	@Id
	private Long workerId;

	private String state;

	private Instant since;

	private String evidence = "";

	private int successCount;

	private int failureCount;

	private int hostFailureCount;

	private int codeBreakCount;

	private Instant classifiedAt;

	protected WorkerHealth() {
	}

	WorkerHealth(Long workerId) {
		this.workerId = workerId;
	}

	/** Applies a verdict; tells whether the state changed. */
	boolean apply(Verdict verdict, Instant now) {
		boolean changed = this.state == null || !this.state.equals(verdict.state().label());
		this.state = verdict.state().label();
		this.since = verdict.since();
		this.evidence = join(verdict.evidence());
		this.successCount = verdict.counts().success();
		this.failureCount = verdict.counts().failure();
		this.hostFailureCount = verdict.counts().hostFailure();
		this.codeBreakCount = verdict.counts().codeBreak();
		this.classifiedAt = now;
		return changed;
	}

	static String join(List<String> evidence) {
		String joined = String.join(SEPARATOR, evidence);
		return (joined.length() > 10000) ? joined.substring(0, 10000) : joined;
	}

	static List<String> split(String evidence) {
		return (evidence == null || evidence.isEmpty()) ? List.of() : Arrays.asList(evidence.split(SEPARATOR));
	}

	Long getWorkerId() {
		return this.workerId;
	}

	WorkerState getState() {
		return WorkerState.fromLabel(this.state);
	}

	Instant getSince() {
		return this.since;
	}

	List<String> getEvidence() {
		return split(this.evidence);
	}

	BuildCounts getCounts() {
		return new BuildCounts(this.successCount, this.failureCount, this.hostFailureCount, this.codeBreakCount);
	}

	Instant getClassifiedAt() {
		return this.classifiedAt;
	}

}
