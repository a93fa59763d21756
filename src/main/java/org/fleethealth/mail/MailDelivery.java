package org.fleethealth.mail;

import java.io.UnsupportedEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.system.Durations;
import org.fleethealth.system.FreeText;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.Limit;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers the outbox: pending messages that are due are sent one by one and marked sent; a failure leaves
 * the message pending with a growing wait. While SMTP is down nothing is lost; when it is back each message
 * goes once.
 */
@Service
public class MailDelivery {

	private static final Log logger = LogFactory.getLog(MailDelivery.class);

	/** An SMTP reply of the 5xx class ({@code 554 5.7.1 Message rejected}). */
	private static final Pattern PERMANENT_REPLY = Pattern.compile("\\s*5\\d\\d(?:[ -]|$)");

	private final OutboxMessages messages;

	private final Outbox outbox;

	private final ObjectProvider<JavaMailSender> sender;

	private final MailProperties properties;

	private final Clock clock;

	private final TransactionTemplate transactions;

	private final MeterRegistry meters;

	private final Counter failures;

	private final Counter refused;

	private volatile boolean warnedNoSmtp;

	MailDelivery(OutboxMessages messages, Outbox outbox, ObjectProvider<JavaMailSender> sender,
			MailProperties properties, Clock clock, TransactionTemplate transactions, MeterRegistry meters) {
		this.messages = messages;
		this.outbox = outbox;
		this.sender = sender;
		this.properties = properties;
		this.clock = clock;
		this.transactions = transactions;
		this.meters = meters;
		this.failures = Counter.builder("fleet.mail.failures")
			.description("Attempts to deliver a message that failed (it stays in the outbox)")
			.register(meters);
		this.refused = Counter.builder("fleet.mail.undeliverable")
			.description("Messages given up (status FAILED): refused for good, or still failing after max-attempts")
			.register(meters);
		for (String kind : List.of(OnceOverService.KIND, OnceOverService.SUMMARY, ProposalMailer.SUMMARY,
				ProposalMailer.NOTICE, ProposalMailer.RETIRED, ProposalMailer.REMOVAL_REPLY, QuarantineMailer.KIND, QuarantineMailer.PROPOSAL)) {
			sent(kind);
		}
	}

	private Counter sent(String kind) {
		return Counter.builder("fleet.mail.sent")
			.description("Messages delivered to the SMTP server")
			.tag("kind", kind)
			.register(this.meters);
	}

	/** Sends what is due; returns how many messages went out. */
	public int deliver() {
		JavaMailSender smtp = this.sender.getIfAvailable();
		if (smtp == null) {
			if (!this.warnedNoSmtp) {
				logger.warn("spring.mail.host is not set: messages wait in the outbox until SMTP is configured");
				this.warnedNoSmtp = true;
			}
			this.outbox.refreshPending();
			return 0;
		}
		Instant now = this.clock.instant();
		List<OutboxMessage> due = this.messages.findByStatusAndNextAttemptAtLessThanEqualOrderByAttemptsAscIdAsc(
				OutboxMessage.PENDING, now, Limit.of(this.properties.batchSize()));
		int delivered = 0;
		for (OutboxMessage message : due) {
			try {
				smtp.send(mime(smtp, message));
			}
			catch (MailException | MessagingException | UnsupportedEncodingException ex) {
				String error = describe(ex);
				this.failures.increment();
				if (permanent(ex)) {
					// Retrying cannot help (a malformed address, a recipient the server refuses): give it up at once,
					// say so, and go on with the rest of the batch.
					logger.error("Not delivering " + message.getKind() + " " + message.getMessageId() + " to "
							+ printable(message.getRecipient()) + ": refused for good, not retried: " + error);
					this.refused.increment();
					this.transactions.executeWithoutResult((tx) -> this.messages.findById(message.getId())
						.ifPresent((m) -> m.refused(stored(smtp, error), this.clock.instant())));
					continue;
				}
				Duration wait = backoff(message.getAttempts() + 1);
				boolean givingUp = message.getAttempts() + 1 >= this.properties.maxAttempts();
				if (givingUp) {
					logger.error("Giving up delivering " + message.getKind() + " to " + printable(message.getRecipient())
							+ " through " + server(smtp) + " after " + (message.getAttempts() + 1) + " attempts: " + error);
					this.refused.increment();
				}
				else {
					logger.warn("Delivering " + message.getKind() + " to " + printable(message.getRecipient())
							+ " through " + server(smtp) + " failed (attempt " + (message.getAttempts() + 1) + ", next in "
							+ wait + "): " + error);
				}
				this.transactions.executeWithoutResult((tx) -> this.messages.findById(message.getId())
					.ifPresent((m) -> m.failed(stored(smtp, error), this.clock.instant(), wait,
							this.properties.maxAttempts())));
				// SMTP is likely down for all; the rest waits for the next run.
				break;
			}
			markSent(message);
			sent(message.getKind()).increment();
			delivered++;
		}
		this.outbox.refreshPending();
		return delivered;
	}

	/**
	 * A failure as the outbox keeps it (the API's and the front page's {@code lastError}, shown to maintainers only):
	 * which server, then what it or the connection said. The exception alone ("ConnectException: Connection
	 * refused") left a maintainer to find the server in the log.
	 */
	private static String stored(JavaMailSender smtp, String error) {
		return server(smtp) + ": " + error;
	}

	/** The SMTP server as configured ({@code spring.mail.host}:{@code port}), for the log: which one failed. */
	static String server(JavaMailSender smtp) {
		if (smtp instanceof JavaMailSenderImpl impl && impl.getHost() != null) {
			return "SMTP server " + impl.getHost() + ((impl.getPort() > 0) ? ":" + impl.getPort() : "");
		}
		return "the SMTP server";
	}

	/**
	 * Records a delivery. The message is already out, so a failure here would mean sending it again: the first
	 * statement after a database outage often meets a dead pooled connection, and the pool hands out a fresh
	 * one on the next try.
	 */
	private void markSent(OutboxMessage message) {
		for (int attempt = 1;; attempt++) {
			try {
				this.transactions.executeWithoutResult((tx) -> this.messages.findById(message.getId())
					.ifPresent((m) -> m.sent(this.clock.instant())));
				return;
			}
			catch (RuntimeException ex) {
				if (attempt >= 5) {
					logger.error("Message " + message.getMessageId() + " to " + message.getRecipient()
							+ " was delivered but could not be recorded; it may be sent again", ex);
					throw ex;
				}
				logger.warn("Recording the delivery of " + message.getMessageId() + " failed (attempt " + attempt
						+ "), trying again: " + ex.getMessage());
			}
		}
	}

	Duration backoff(int attempts) {
		return Durations.backoff(this.properties.retryInitial(), attempts, this.properties.retryMax());
	}

	/**
	 * Whether the failure is this message's own and permanent: a malformed address, or an SMTP 5xx answer to its
	 * recipient or its data. A connection or login failure, a 4xx, or a refused sender (which would refuse every
	 * message) is an outage: the message waits and is tried again.
	 */
	static boolean permanent(Exception ex) {
		List<Throwable> causes = new ArrayList<>();
		collect(ex, causes);
		// Jakarta Mail's SMTP provider names a refused sender with a class of its own (not API).
		if (causes.stream().anyMatch((t) -> t.getClass().getSimpleName().equals("SMTPSenderFailedException"))) {
			return false;
		}
		for (Throwable t : causes) {
			if (t instanceof AddressException) {
				return true;
			}
			if (t instanceof SendFailedException failed) {
				// Recipients refused with a 5xx are "invalid"; those refused with a 4xx are "valid unsent".
				if (failed.getInvalidAddresses() != null && failed.getInvalidAddresses().length > 0) {
					return true;
				}
				if (failed.getMessage() != null && PERMANENT_REPLY.matcher(failed.getMessage()).lookingAt()) {
					return true;
				}
			}
		}
		return false;
	}

	/** The exception, its causes, Spring's per-message exceptions and Jakarta Mail's chained ones. */
	private static void collect(Throwable t, List<Throwable> into) {
		if (t == null || into.contains(t) || into.size() > 50) {
			return;
		}
		into.add(t);
		collect(t.getCause(), into);
		if (t instanceof MailSendException send) {
			for (Exception each : send.getMessageExceptions()) {
				collect(each, into);
			}
		}
		if (t instanceof MessagingException messaging) {
			collect(messaging.getNextException(), into);
		}
	}

	/** An address from the outbox, for a log line: one line, and never more than an address can be. */
	private static String printable(String address) {
		return FreeText.fit(FreeText.oneLine(address), 320);
	}

	/** The error without anything the server echoed back at length; never credentials. */
	private static String describe(Exception ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getClass().getSimpleName() + ((root.getMessage() != null) ? ": " + root.getMessage() : "");
		return (message.length() > 300) ? message.substring(0, 300) : message;
	}

	private MimeMessage mime(JavaMailSender smtp, OutboxMessage message)
			throws MessagingException, UnsupportedEncodingException {
		MimeMessage mime = new FixedIdMimeMessage(smtp.createMimeMessage().getSession(), message.getMessageId());
		mime.setFrom(MailAddresses.configured(this.properties.from()));
		mime.setRecipient(jakarta.mail.Message.RecipientType.TO,
				MailAddresses.of(message.getRecipient(), message.getRecipientName()));
		mime.setSubject(FreeText.oneLine(message.getSubject()), "UTF-8");
		mime.setSentDate(Date.from(this.clock.instant()));
		mime.setHeader("List-Id", MailAddresses.listId(this.properties.listId()));
		mime.setHeader("Auto-Submitted", "auto-generated");
		MimeMultipart alternative = new MimeMultipart("alternative");
		MimeBodyPart text = new MimeBodyPart();
		text.setText(message.getTextBody(), "UTF-8", "plain");
		alternative.addBodyPart(text);
		if (message.getHtmlBody() != null) {
			MimeBodyPart html = new MimeBodyPart();
			html.setText(message.getHtmlBody(), "UTF-8", "html");
			alternative.addBodyPart(html);
		}
		mime.setContent(alternative);
		mime.saveChanges();
		return mime;
	}

	/** Keeps the outbox's deterministic Message-ID instead of a random one. */
	private static final class FixedIdMimeMessage extends MimeMessage {

		private final String messageId;

		FixedIdMimeMessage(Session session, String messageId) {
			super(session);
			this.messageId = messageId;
		}

		@Override
		protected void updateMessageID() throws MessagingException {
			setHeader("Message-ID", this.messageId);
		}

	}

}
