package org.fleethealth.health;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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

	// When the judgement last changed; when the master was last classified is in ClassificationRound.
	private Instant classifiedAt;

	protected WorkerHealth() {
	}

	WorkerHealth(Long workerId) {
		this.workerId = workerId;
	}

	/**
	 * Applies a verdict; tells whether the state changed. Fields are only assigned when something changed, so
	 * an unchanged judgement is not written back: a large fleet is classified after every poll, and most
	 * judgements stay as they were.
	 */
	boolean apply(Verdict verdict, Instant now) {
		boolean stateChanged = this.state == null || !this.state.equals(verdict.state().label());
		String joined = join(verdict.evidence());
		BuildCounts counts = verdict.counts();
		boolean changed = stateChanged || !Objects.equals(this.since, verdict.since())
				|| !joined.equals(this.evidence) || !getCounts().equals(counts);
		if (changed) {
			this.state = verdict.state().label();
			this.since = verdict.since();
			this.evidence = joined;
			this.successCount = counts.success();
			this.failureCount = counts.failure();
			this.hostFailureCount = counts.hostFailure();
			this.codeBreakCount = counts.codeBreak();
			this.classifiedAt = now;
		}
		return stateChanged;
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

	/** When the judgement last changed. */
	Instant getClassifiedAt() {
		return this.classifiedAt;
	}

}
