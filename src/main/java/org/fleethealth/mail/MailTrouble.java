package org.fleethealth.mail;

import java.time.Instant;

/**
 * Owner mail that is not getting through, as the front page shows it: read from the outbox, so every instance of a
 * cluster shows the same.
 *
 * @param waiting every message waiting in the outbox ({@code PENDING}), tried or not
 * @param retrying messages waiting for another attempt after one or more failed ({@code PENDING}, attempts above 0)
 * @param givenUp messages given up ({@code FAILED}) whose last attempt was within the last
 * {@link OutboxReader#GIVEN_UP_SHOWN}
 * @param waitingForSmtp messages waiting with no SMTP server configured ({@code spring.mail.host} unset), else 0
 * @param lastError the error of the newest failed attempt among those messages, or {@code null}; it can name the SMTP
 * server, so pages show it to maintainers only
 * @param nextAttemptAt when the next retry is due, or {@code null} if none waits
 */
public record MailTrouble(long waiting, long retrying, long givenUp, long waitingForSmtp, String lastError, Instant nextAttemptAt) {
}
