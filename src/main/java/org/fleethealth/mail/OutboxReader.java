package org.fleethealth.mail;

import java.util.List;
import java.util.Locale;

import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads the outbox for people: what fleet-health sent or will send, also where no SMTP server is configured yet (a
 * trial could only read the digests by copying the database).
 */
@Service
public class OutboxReader {

	private final OutboxMessages messages;

	OutboxReader(OutboxMessages messages) {
		this.messages = messages;
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
