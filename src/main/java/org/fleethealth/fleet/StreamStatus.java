package org.fleethealth.fleet;

import java.time.Instant;

/**
 * Where a master's live event stream stands.
 *
 * @param state {@code new}, {@code connecting}, {@code up} (heard live; polled every {@code reconcile-interval}),
 * {@code down} (retrying; polled at the normal intervals), {@code unavailable} (its web server refuses WebSockets:
 * polled only, asked again now and then) or {@code closed}
 * @param since when it entered the state
 * @param reason why it is down, unavailable or closed, or {@code null}
 * @param reconciled when the polls that catch up on what the stream did not hear last finished after it came (back)
 * up, or {@code null} until they have (whether the master answered them is in the master's polls)
 */
public record StreamStatus(String state, Instant since, String reason, Instant reconciled) {
}
