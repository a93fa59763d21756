package org.fleethealth.pruning;

import java.time.Instant;
import java.time.LocalDate;

/**
 * An owner's reply was recorded (published in the transaction that used the link, so listeners act once it
 * committed).
 *
 * @param master the watched master's name
 * @param worker the worker's name
 * @param action what the owner answered
 * @param by who, as histories show it ({@code "<email> (owner reply)"})
 * @param at when (the service clock)
 * @param note what the owner wrote with it for the maintainers, or {@code null}
 * @param backBy the day the owner gave with "back by", else {@code null}
 */
public record OwnerReplied(String master, String worker, ReplyAction action, String by, Instant at, String note,
		LocalDate backBy) {
}
