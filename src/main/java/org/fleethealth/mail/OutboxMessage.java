package org.fleethealth.mail;

import java.time.Duration;
import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A message waiting in (or delivered from) the outbox; (kind, recipient, period) is unique. */
@Entity
@Table(name = "outbox_message")
class OutboxMessage {

	static final String PENDING = "PENDING";

	static final String SENT = "SENT";

	/** Given up after too many attempts; kept for the record, visible in the log and the outbox. */
	static final String FAILED = "FAILED";

	/** Bounds of the columns that take text from outside (V2, V7). */
	static final int MAX_NAME = 300;

	static final int MAX_SUBJECT = 500;

	static final int MAX_TEXT_BODY = 200_000;

	static final int MAX_HTML_BODY = 400_000;

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String kind;

	private String recipient;

	private String recipientName;

	private String period;

	private String subject;

	private String textBody;

	private String htmlBody;

	private String messageId;

	private String status;

	private int attempts;

	private Instant nextAttemptAt;

	private String lastError;

	private Instant createdAt;

	private Instant sentAt;

	protected OutboxMessage() {
	}

	OutboxMessage(String kind, String recipient, String recipientName, String period, String subject,
			String textBody, String htmlBody, String messageId, Instant now) {
		this.kind = kind;
		this.recipient = recipient;
		this.recipientName = recipientName;
		this.period = period;
		this.subject = subject;
		this.textBody = textBody;
		this.htmlBody = htmlBody;
		this.messageId = messageId;
		this.status = PENDING;
		this.nextAttemptAt = now;
		this.createdAt = now;
	}

	void sent(Instant now) {
		this.status = SENT;
		this.sentAt = now;
		this.attempts++;
		this.lastError = null;
	}

	void failed(String error, Instant now, Duration wait, int maxAttempts) {
		this.attempts++;
		if (this.attempts >= maxAttempts) {
			this.status = FAILED;
		}
		this.lastError = (error.length() > 1000) ? error.substring(0, 1000) : error;
		this.nextAttemptAt = now.plus(wait);
	}

	/** Refused for good (a malformed address, an SMTP 5xx for this message): given up at once, not retried. */
	void refused(String error, Instant now) {
		this.attempts++;
		this.status = FAILED;
		this.lastError = (error.length() > 1000) ? error.substring(0, 1000) : error;
		this.nextAttemptAt = now;
	}

	Long getId() {
		return this.id;
	}

	String getKind() {
		return this.kind;
	}

	String getRecipient() {
		return this.recipient;
	}

	/** The recipient's display name for the {@code To} header, or {@code null}. */
	String getRecipientName() {
		return this.recipientName;
	}

	String getPeriod() {
		return this.period;
	}

	String getSubject() {
		return this.subject;
	}

	String getTextBody() {
		return this.textBody;
	}

	String getHtmlBody() {
		return this.htmlBody;
	}

	String getMessageId() {
		return this.messageId;
	}

	String getStatus() {
		return this.status;
	}

	int getAttempts() {
		return this.attempts;
	}

	Instant getNextAttemptAt() {
		return this.nextAttemptAt;
	}

	String getLastError() {
		return this.lastError;
	}

	Instant getCreatedAt() {
		return this.createdAt;
	}

	Instant getSentAt() {
		return this.sentAt;
	}

}
