package org.fleethealth.mail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.Limit;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads the outbox for people: what fleet-health sent or will send, also where no SMTP server is configured yet (a
 * trial could only read the digests by copying the database).
 */
@Service
public class OutboxReader {

	/** How long a message given up is shown as trouble after its last attempt: a week, one once-over period. */
	public static final Duration GIVEN_UP_SHOWN = Duration.ofDays(7);

	private final OutboxMessages messages;

	private final ObjectProvider<JavaMailSender> smtp;

	private final Clock clock;

	OutboxReader(OutboxMessages messages, ObjectProvider<JavaMailSender> smtp, Clock clock) {
		this.messages = messages;
		this.smtp = smtp;
		this.clock = clock;
	}

	/**
	 * Mail that is not getting through: retries waiting, messages given up lately, or messages waiting for an SMTP
	 * server that is not configured. Empty when mail flows (or nothing was ever queued).
	 */
	@Transactional(readOnly = true)
	public Optional<MailTrouble> trouble() {
		long retrying = this.messages.countByStatusAndAttemptsGreaterThan(OutboxMessage.PENDING, 0);
		// A message given up keeps its last attempt in nextAttemptAt (OutboxMessage.failed and refused).
		Instant since = this.clock.instant().minus(GIVEN_UP_SHOWN);
		long givenUp = this.messages.countByStatusAndNextAttemptAtGreaterThanEqual(OutboxMessage.FAILED, since);
		long waiting = this.messages.countByStatus(OutboxMessage.PENDING);
		long waitingForSmtp = (this.smtp.getIfAvailable() == null) ? waiting : 0;
		if (retrying == 0 && givenUp == 0 && waitingForSmtp == 0) {
			return Optional.empty();
		}
		String lastError = this.messages
			.findFirstByStatusInAndLastErrorIsNotNullOrderByNextAttemptAtDesc(
					List.of(OutboxMessage.PENDING, OutboxMessage.FAILED))
			.map(OutboxMessage::getLastError)
			.orElse(null);
		Instant next = (retrying > 0) ? this.messages
			.findFirstByStatusAndAttemptsGreaterThanOrderByNextAttemptAtAsc(OutboxMessage.PENDING, 0)
			.map(OutboxMessage::getNextAttemptAt)
			.orElse(null) : null;
		return Optional.of(new MailTrouble(waiting, retrying, givenUp, waitingForSmtp, lastError, next));
	}

	/**
	 * The newest messages first, of one status or all.
	 *
	 * @param status {@code PENDING}, {@code SENT} or {@code FAILED} (ignoring case), or {@code null} for all
	 * @param limit how many at most, 1 or more
	 * @throws IllegalArgumentException for another status
	 */
	@Transactional(readOnly = true)
	public List<OutboxView> newest(String status, int limit) {
		if (status == null) {
			return this.messages.findAllByOrderByIdDesc(Limit.of(limit)).stream().map(OutboxView::of).toList();
		}
		String wanted = status.strip().toUpperCase(Locale.ROOT);
		if (!List.of(OutboxMessage.PENDING, OutboxMessage.SENT, OutboxMessage.FAILED).contains(wanted)) {
			throw new IllegalArgumentException("unknown status '" + status + "': one of pending, sent, failed");
		}
		return this.messages.findByStatusOrderByIdDesc(wanted, Limit.of(limit)).stream().map(OutboxView::of).toList();
	}

}
