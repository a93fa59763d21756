package org.fleethealth.pruning;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A reply link: bound to a worker, an owner and an answer; expiring and single use; stored as a hash. */
@Entity
@Table(name = "reply_token")
class ReplyToken {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String tokenHash;

	private String master;

	private String worker;

	private String ownerEmail;

	@Enumerated(EnumType.STRING)
	private ReplyAction action;

	private Instant createdAt;

	private Instant expiresAt;

	private Instant usedAt;

	protected ReplyToken() {
	}

	ReplyToken(String tokenHash, String master, String worker, String ownerEmail, ReplyAction action,
			Instant createdAt, Instant expiresAt) {
		this.tokenHash = tokenHash;
		this.master = master;
		this.worker = worker;
		this.ownerEmail = ownerEmail;
		this.action = action;
		this.createdAt = createdAt;
		this.expiresAt = expiresAt;
	}

	void use(Instant now) {
		this.usedAt = now;
	}

	String getMaster() {
		return this.master;
	}

	String getWorker() {
		return this.worker;
	}

	String getOwnerEmail() {
		return this.ownerEmail;
	}

	ReplyAction getAction() {
		return this.action;
	}

	Instant getExpiresAt() {
		return this.expiresAt;
	}

	Instant getUsedAt() {
		return this.usedAt;
	}

}
