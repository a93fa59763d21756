package org.fleethealth.health;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

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

	private int interruptedCount;

	private int stuckCount;

	// The rules that fired, comma-separated labels (Rule): typed reasons for mail and the gate.
	private String rules = "";

	// The state a master outage interrupted, and since when: it resumes with its real start (B3).
	private String heldState;

	private Instant heldSince;

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
		String rules = verdict.rules().stream().map(Rule::label).collect(Collectors.joining(","));
		boolean changed = stateChanged || !Objects.equals(this.since, verdict.since())
				|| !joined.equals(this.evidence) || !getCounts().equals(counts) || !rules.equals(this.rules);
		if (stateChanged) {
			hold(verdict.state());
		}
		if (changed) {
			this.rules = rules;
			this.interruptedCount = counts.interrupted();
			this.stuckCount = counts.stuck();
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

	/** Entering {@code unknown} keeps the interrupted state and its start; leaving it lets them go. */
	private void hold(WorkerState next) {
		if (next == WorkerState.UNKNOWN) {
			if (this.state != null && !WorkerState.UNKNOWN.label().equals(this.state)) {
				this.heldState = this.state;
				this.heldSince = this.since;
			}
		}
		else {
			this.heldState = null;
			this.heldSince = null;
		}
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
		return new BuildCounts(this.successCount, this.failureCount, this.hostFailureCount, this.codeBreakCount,
				this.interruptedCount, this.stuckCount);
	}

	/** The rules that fired, deciding one first. */
	List<Rule> getRules() {
		if (this.rules == null || this.rules.isEmpty()) {
			return List.of();
		}
		return Arrays.stream(this.rules.split(",")).map(Rule::fromLabel).filter(Objects::nonNull).toList();
	}

	/** The state a master outage interrupted, while the worker is {@code unknown}; else {@code null}. */
	WorkerState getHeldState() {
		return (this.heldState != null) ? WorkerState.fromLabel(this.heldState) : null;
	}

	Instant getHeldSince() {
		return this.heldSince;
	}

	/** When the judgement last changed. */
	Instant getClassifiedAt() {
		return this.classifiedAt;
	}

}
