package org.fleethealth.pruning;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** What an owner answered about a worker. */
@Entity
@Table(name = "owner_reply")
public class OwnerReply {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String master;

	private String worker;

	private String ownerEmail;

	@Enumerated(EnumType.STRING)
	private ReplyAction action;

	private LocalDate backBy;

	private String note;

	private Instant createdAt;

	protected OwnerReply() {
	}

	OwnerReply(String master, String worker, String ownerEmail, ReplyAction action, LocalDate backBy, String note,
			Instant createdAt) {
		this.master = master;
		this.worker = worker;
		this.ownerEmail = ownerEmail;
		this.action = action;
		this.backBy = backBy;
		this.note = note;
		this.createdAt = createdAt;
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

	public String getOwnerEmail() {
		return this.ownerEmail;
	}

	public ReplyAction getAction() {
		return this.action;
	}

	public LocalDate getBackBy() {
		return this.backBy;
	}

	public String getNote() {
		return this.note;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	/**
	 * Who an owner's reply names as having decided (a proposal approved or snoozed, a quarantine released), as
	 * histories and the API show it: {@code "<email> (owner reply)"}.
	 */
	static String by(String ownerEmail) {
		return ownerEmail + " (owner reply)";
	}

}
