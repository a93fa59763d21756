package org.fleethealth.mail;

import java.time.Instant;

/**
 * A message in the outbox as {@code GET /api/mail/outbox} shows it: what was (or will be) sent, to whom, and how its
 * delivery goes. Its text holds reply links: maintainers only.
 *
 * @param id the message's id
 * @param kind {@code once-over}, {@code maintainers-summary}, {@code proposals}, {@code proposal-notice},
 * {@code retired}, {@code quarantine} or {@code quarantine-proposal}
 * @param to the recipient, {@code Name <address>} where a name is known
 * @param period what the message is for within its kind (the ISO week of a digest, a proposal's batch)
 * @param subject its subject
 * @param status {@code PENDING} (waiting for SMTP or its next attempt), {@code SENT} or {@code FAILED} (given up)
 * @param attempts delivery attempts so far
 * @param createdAt when it was queued
 * @param nextAttemptAt when a pending message is tried next
 * @param sentAt when the SMTP server took it, or {@code null}
 * @param lastError the last delivery error, or {@code null}
 * @param text its plain-text body (the HTML body says the same)
 */
public record OutboxView(long id, String kind, String to, String period, String subject, String status, int attempts,
		Instant createdAt, Instant nextAttemptAt, Instant sentAt, String lastError, String text) {

	static OutboxView of(OutboxMessage m) {
		String to = (m.getRecipientName() != null && !m.getRecipientName().isBlank())
				? m.getRecipientName() + " <" + m.getRecipient() + ">" : m.getRecipient();
		return new OutboxView(m.getId(), m.getKind(), to, m.getPeriod(), m.getSubject(), m.getStatus(),
				m.getAttempts(), m.getCreatedAt(), m.getNextAttemptAt(), m.getSentAt(), m.getLastError(),
				m.getTextBody());
	}

}
