package org.fleethealth.pruning;

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

/** A proposal to prune one worker, with its lifecycle. */
@Entity
@Table(name = "proposal")
public class Proposal {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String master;

	private String worker;

	@Enumerated(EnumType.STRING)
	private ProposalKind kind;

	@Enumerated(EnumType.STRING)
	private ProposalStatus status;

	private String reason;

	private String builders = "";

	private Instant createdAt;

	private Instant updatedAt;

	/** Who withdrew a proposal: the service itself, as the quarantine's automatic decisions say. */
	static final String WITHDRAWN_BY = "fleet-health (auto)";

	private Instant decidedAt;

	private String decidedBy;

	private Instant snoozedUntil;

	private String openKey;

	protected Proposal() {
	}

	Proposal(String master, String worker, ProposalKind kind, String reason, List<String> builders, Instant now) {
		this.master = master;
		this.worker = worker;
		this.kind = kind;
		this.reason = (reason.length() > 4000) ? reason.substring(0, 4000) : reason;
		this.builders = String.join("\n", builders);
		this.createdAt = now;
		moveTo(ProposalStatus.PROPOSED, now);
	}

	void approve(String by, Instant now) {
		this.decidedBy = by;
		this.decidedAt = now;
		this.snoozedUntil = null;
		moveTo(ProposalStatus.APPROVED, now);
	}

	void reject(String by, Instant now) {
		this.decidedBy = by;
		this.decidedAt = now;
		this.snoozedUntil = null;
		moveTo(ProposalStatus.REJECTED, now);
	}

	void snooze(Instant until, String by, Instant now) {
		this.decidedBy = by;
		this.decidedAt = now;
		this.snoozedUntil = until;
		moveTo(ProposalStatus.SNOOZED, now);
	}

	/**
	 * A maintainer takes back an approved proposal before it is carried out (its worker came back): withdrawn, in
	 * their name.
	 */
	void withdraw(String by, Instant now) {
		this.decidedBy = by;
		this.decidedAt = now;
		this.snoozedUntil = null;
		moveTo(ProposalStatus.WITHDRAWN, now);
	}

	void reopen(Instant now) {
		this.snoozedUntil = null;
		moveTo(ProposalStatus.PROPOSED, now);
	}

	/**
	 * The service withdraws it (the worker recovered or left): its decision, not a maintainer's. An earlier snooze's
	 * {@code decidedBy} read as if that maintainer had withdrawn it.
	 */
	void withdraw(Instant now) {
		this.decidedBy = WITHDRAWN_BY;
		this.decidedAt = now;
		this.snoozedUntil = null;
		moveTo(ProposalStatus.WITHDRAWN, now);
	}

	private void moveTo(ProposalStatus status, Instant now) {
		this.status = status;
		this.updatedAt = now;
		this.openKey = status.isOpen() ? openKey(this.master, this.worker, this.kind) : null;
	}

	static String openKey(String master, String worker, ProposalKind kind) {
		return master + "/" + worker + "/" + kind.name();
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

	public ProposalKind getKind() {
		return this.kind;
	}

	public ProposalStatus getStatus() {
		return this.status;
	}

	public String getReason() {
		return this.reason;
	}

	public List<String> getBuilders() {
		return (this.builders == null || this.builders.isEmpty()) ? List.of() : Arrays.asList(this.builders.split("\n"));
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

	public Instant getSnoozedUntil() {
		return this.snoozedUntil;
	}

}
