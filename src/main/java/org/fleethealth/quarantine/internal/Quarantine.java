package org.fleethealth.quarantine.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.fleethealth.quarantine.QuarantineStatus;
import org.fleethealth.quarantine.Refusal;
import org.fleethealth.system.FreeText;

/** One quarantine of one worker, from the proposal to its release (V30). */
@Entity
@Table(name = "quarantine")
public class Quarantine {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String master;

	private String worker;

	@Enumerated(EnumType.STRING)
	private QuarantineStatus status;

	private Instant flakySince;

	private String evidence;

	private String takeover = "";

	private String owner;

	@Enumerated(EnumType.STRING)
	private Refusal refusal;

	private String note;

	private String pauseReason;

	private Instant createdAt;

	private Instant updatedAt;

	private Instant decidedAt;

	private String decidedBy;

	private Instant pausedAt;

	private Instant pauseConfirmedAt;

	private Instant releasedAt;

	private String releasedBy;

	private String openKey;

	protected Quarantine() {
	}

	public Quarantine(String master, String worker, Instant flakySince, String evidence, List<String> takeover,
			String owner, Instant now) {
		this.master = master;
		this.worker = worker;
		this.flakySince = flakySince;
		this.evidence = FreeText.fit(evidence, 4000);
		this.takeover = FreeText.join(takeover, "\n", 4000);
		this.owner = FreeText.fit(owner, 1000);
		this.createdAt = now;
		moveTo(QuarantineStatus.PROPOSED, now);
	}

	public void decide(String by, Instant now) {
		this.decidedBy = FreeText.fit(by, 200);
		this.decidedAt = now;
		this.updatedAt = now;
	}

	public void refuse(Refusal refusal, String why, Instant now) {
		this.refusal = refusal;
		note(why, now);
		moveTo(QuarantineStatus.REFUSED, now);
	}

	public void paused(String reason, Instant now) {
		this.pauseReason = FreeText.fit(reason, 500);
		this.pausedAt = now;
		this.note = null;
		moveTo(QuarantineStatus.QUARANTINED, now);
	}

	public void confirmPaused(Instant now) {
		this.pauseConfirmedAt = now;
		this.updatedAt = now;
	}

	public void released(String by, Instant now) {
		this.releasedBy = FreeText.fit(by, 200);
		this.releasedAt = now;
		moveTo(QuarantineStatus.PROBATION, now);
	}

	public void note(String note, Instant now) {
		this.note = FreeText.fit(note, 2000);
		this.updatedAt = now;
	}

	/** Moves to a status, closed or not; a closed one frees the worker for a new quarantine. */
	public void moveTo(QuarantineStatus status, Instant now) {
		this.status = status;
		this.updatedAt = now;
		this.openKey = status.isOpen() ? this.master + "/" + this.worker : null;
	}

	public Long getId() {
		return this.id;
	}

	public String getMaster() {
		return this.master;
	}

	public String getWorker() {
		return this.worker;
	}

	public QuarantineStatus getStatus() {
		return this.status;
	}

	public Instant getFlakySince() {
		return this.flakySince;
	}

	public String getEvidence() {
		return this.evidence;
	}

	public List<String> getTakeover() {
		return (this.takeover == null || this.takeover.isEmpty()) ? List.of()
				: Arrays.asList(this.takeover.split("\n"));
	}

	public String getOwner() {
		return this.owner;
	}

	public Refusal getRefusal() {
		return this.refusal;
	}

	public String getNote() {
		return this.note;
	}

	public String getPauseReason() {
		return this.pauseReason;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public Instant getUpdatedAt() {
		return this.updatedAt;
	}

	public Instant getDecidedAt() {
		return this.decidedAt;
	}

	public String getDecidedBy() {
		return this.decidedBy;
	}

	public Instant getPausedAt() {
		return this.pausedAt;
	}

	public Instant getPauseConfirmedAt() {
		return this.pauseConfirmedAt;
	}

	public Instant getReleasedAt() {
		return this.releasedAt;
	}

	public String getReleasedBy() {
		return this.releasedBy;
	}

}
