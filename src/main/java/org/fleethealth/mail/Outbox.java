package org.fleethealth.mail;

import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.source.FleetProperties;
import org.fleethealth.system.FreeText;
import org.fleethealth.system.Hashes;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes messages to the outbox in the caller's transaction: a message exists exactly when the decision
 * to send it was committed. (kind, recipient, period) is unique, so a re-run, a restart or a second
 * instance cannot queue a message twice. Only addresses that {@link MailAddresses} accepts get in.
 */
@Component
class Outbox {

	private static final Log logger = LogFactory.getLog(Outbox.class);

	private final OutboxMessages messages;

	private final Clock clock;

	private final String domain;

	private final AtomicLong pending = new AtomicLong();

	private final TransactionTemplate transactions;

	Outbox(OutboxMessages messages, Clock clock, FleetProperties fleet, MeterRegistry meters,
			TransactionTemplate transactions) {
		this.messages = messages;
		this.clock = clock;
		this.transactions = transactions;
		String host = fleet.publicUrl().getHost();
		this.domain = (host != null) ? host : "fleet-health.localhost";
		Gauge.builder("fleet.mail.outbox.pending", this.pending, AtomicLong::get)
			.description("Messages waiting in the outbox to be delivered")
			.register(meters);
	}

	/**
	 * Queues a message unless one with the same key is there already; tells which. The pending gauge moves when
	 * the transaction commits, not before: a rolled-back decision queued nothing.
	 *
	 * @param recipientName the recipient's display name for the {@code To} header, or {@code null}
	 * @throws IllegalArgumentException if the recipient is not a valid address (callers check owner text first)
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	boolean enqueue(String kind, String recipient, String recipientName, String period, String subject, String text,
			String html) {
		if (!MailAddresses.isValid(recipient)) {
			throw new IllegalArgumentException("Not a valid mail address: '" + FreeText.oneLine(recipient) + "'");
		}
		if (this.messages.existsByKindAndRecipientAndPeriod(kind, recipient, period)) {
			return false;
		}
		this.messages.save(new OutboxMessage(kind, recipient, FreeText.fit(recipientName, OutboxMessage.MAX_NAME),
				period, FreeText.fit(FreeText.oneLine(subject), OutboxMessage.MAX_SUBJECT), text, html,
				messageId(kind, recipient, period), this.clock.instant()));
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				Outbox.this.pending.incrementAndGet();
			}

		});
		return true;
	}

	/** A message to queue: its subject and both parts. */
	record Draft(String subject, MailRenderer.Rendered body) {
	}

	/** What became of a message to queue. */
	enum Queued {

		QUEUED, ALREADY_QUEUED, FAILED

	}

	/**
	 * Queues a message in a transaction of its own, drafting it only if it is not queued yet (drafting may issue
	 * reply links, which commit with it). Only the outbox key means "already queued": any other failure is logged
	 * as an error and reported, never mistaken for a message sent.
	 */
	Queued queue(String kind, String recipient, String recipientName, String period, Supplier<Draft> draft) {
		try {
			Boolean created = this.transactions.execute((tx) -> {
				if (contains(kind, recipient, period)) {
					return false;
				}
				Draft d = draft.get();
				return enqueue(kind, recipient, recipientName, period, d.subject(), d.body().text(), d.body().html());
			});
			return Boolean.TRUE.equals(created) ? Queued.QUEUED : Queued.ALREADY_QUEUED;
		}
		catch (DataIntegrityViolationException ex) {
			if (isDuplicateKey(ex)) {
				// Another instance queued it a moment ago.
				return Queued.ALREADY_QUEUED;
			}
			logger.error("Could not queue the " + kind + " message for " + FreeText.oneLine(recipient) + " (" + period
					+ "); it is tried again on the next run: " + ex.getMostSpecificCause().getMessage());
			return Queued.FAILED;
		}
		catch (RuntimeException ex) {
			logger.error("Could not queue the " + kind + " message for " + FreeText.oneLine(recipient) + " (" + period
					+ "); it is tried again on the next run", ex);
			return Queued.FAILED;
		}
	}

	/**
	 * Whether a failed insert met the outbox key, i.e. the message is queued already (by another instance a moment
	 * ago). Any other constraint, such as a value too long for its column, is a real failure.
	 */
	static boolean isDuplicateKey(DataIntegrityViolationException ex) {
		if (ex instanceof DuplicateKeyException) {
			return true;
		}
		for (Throwable t = ex; t != null && t.getCause() != t; t = t.getCause()) {
			// 23505: unique_violation, on H2 and PostgreSQL alike.
			if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

	boolean contains(String kind, String recipient, String period) {
		return this.messages.existsByKindAndRecipientAndPeriod(kind, recipient, period);
	}

	/** The same message always has the same Message-ID, so a resend after a crash is recognisably a duplicate. */
	String messageId(String kind, String recipient, String period) {
		String key = kind + "\n" + recipient + "\n" + period;
		return "<" + kind + "." + HexFormat.of().formatHex(Hashes.sha256Bytes(key), 0, 12) + "@" + this.domain + ">";
	}

	/** Re-reads the pending count (off the scrape thread). */
	void refreshPending() {
		this.pending.set(this.messages.countByStatus(OutboxMessage.PENDING));
	}

}
