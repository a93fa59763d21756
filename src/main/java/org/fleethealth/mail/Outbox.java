package org.fleethealth.mail;

import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.fleethealth.source.FleetProperties;
import org.fleethealth.system.Hashes;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes messages to the outbox in the caller's transaction: a message exists exactly when the decision
 * to send it was committed. (kind, recipient, period) is unique, so a re-run, a restart or a second
 * instance cannot queue a message twice.
 */
@Component
class Outbox {

	private final OutboxMessages messages;

	private final Clock clock;

	private final String domain;

	private final AtomicLong pending = new AtomicLong();

	Outbox(OutboxMessages messages, Clock clock, FleetProperties fleet, MeterRegistry meters) {
		this.messages = messages;
		this.clock = clock;
		String host = fleet.publicUrl().getHost();
		this.domain = (host != null) ? host : "fleet-health.localhost";
		Gauge.builder("fleet.mail.outbox.pending", this.pending, AtomicLong::get)
			.description("Messages waiting in the outbox to be delivered")
			.register(meters);
	}

	/** Queues a message unless one with the same key is there already; tells which. */
	@Transactional(propagation = Propagation.MANDATORY)
	boolean enqueue(String kind, String recipient, String period, String subject, String text, String html) {
		if (this.messages.existsByKindAndRecipientAndPeriod(kind, recipient, period)) {
			return false;
		}
		this.messages.save(new OutboxMessage(kind, recipient, period, subject, text, html,
				messageId(kind, recipient, period), this.clock.instant()));
		this.pending.incrementAndGet();
		return true;
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
