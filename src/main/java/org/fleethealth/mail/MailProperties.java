package org.fleethealth.mail;

import java.text.ParseException;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.quartz.CronExpression;
import org.fleethealth.system.PositiveDuration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What fleet-health mails, to whom and when. SMTP itself is Spring's {@code spring.mail.*}.
 *
 * @param onceOverCron when the weekly once-over digest goes out (Quartz cron, UTC); a run missed while the
 * service was down fires once on recovery, never as a burst
 * @param sendAllGreen also mail owners whose workers are all healthy
 * @param maintainers who gets the summary of new removal proposals and the weekly summary (workers with no owner
 * to ask, undelivered messages): each a valid address, bare or with a name ({@code Jane <jane@example.org>}),
 * mailed at the address, with the name in the {@code To} header
 * @param replyLinkTtl how long owner reply links work
 * @param from the sender address
 * @param listId the {@code List-Id} header, so owners can filter these mails
 * @param sendInterval how often the outbox is delivered
 * @param retryInitial the first wait after a failed delivery; doubles with each failure
 * @param retryMax the longest wait between delivery attempts
 * @param batchSize the most messages one delivery run sends
 * @param maxAttempts after this many failed attempts a message is given up (status FAILED) and logged
 */
@Validated
@ConfigurationProperties("fleet-health.mail")
public record MailProperties(@DefaultValue("0 0 9 ? * MON") @NotBlank String onceOverCron,
		@DefaultValue("false") boolean sendAllGreen, List<String> maintainers,
		@DefaultValue("P14D") @NotNull @PositiveDuration Duration replyLinkTtl,
		@DefaultValue("fleet-health <fleet-health@localhost>") @NotBlank String from,
		@DefaultValue("fleet-health <fleet-health.localhost>") @NotBlank String listId,
		@DefaultValue("PT30S") @NotNull @PositiveDuration Duration sendInterval,
		@DefaultValue("PT1M") @NotNull @PositiveDuration Duration retryInitial,
		@DefaultValue("PT1H") @NotNull @PositiveDuration Duration retryMax, @DefaultValue("50") @Min(1) int batchSize,
		@DefaultValue("48") @Min(1) int maxAttempts) {

	public MailProperties {
		maintainers = (maintainers != null) ? maintainers.stream().map(MailProperties::maintainer).toList()
				: List.of();
		if (onceOverCron != null && !onceOverCron.isBlank()) {
			try {
				new CronExpression(onceOverCron);
			}
			catch (ParseException ex) {
				// No cause: the failure report gives the innermost cause's message, which would not name the setting.
				throw new IllegalArgumentException("fleet-health.mail.once-over-cron: '" + onceOverCron
						+ "' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week,"
						+ " e.g. '0 0 9 ? * MON'): " + ex.getMessage());
			}
		}
		try {
			if (from != null) {
				MailAddresses.configured(from);
			}
		}
		catch (jakarta.mail.internet.AddressException ex) {
			throw new IllegalArgumentException("fleet-health.mail.from: '" + from + "' is not a mail address", ex);
		}
	}

	/** A maintainer to mail: the address, and the name for the {@code To} header ({@code null} when none was given). */
	public record Maintainer(String address, String name) {
	}

	/** The maintainers, each with the name configured with the address. */
	public List<Maintainer> maintainerContacts() {
		return this.maintainers.stream().map(MailProperties::contact).toList();
	}

	/**
	 * A maintainer as configured: a bare address ({@code ops@example.org}) or one with a name
	 * ({@code Jane Release <jane@example.org>}), checked here and kept as written.
	 */
	private static String maintainer(String text) {
		String stripped = text.strip();
		contact(stripped);
		return stripped;
	}

	private static Maintainer contact(String text) {
		try {
			jakarta.mail.internet.InternetAddress parsed = MailAddresses.configured(text);
			if (MailAddresses.isValid(parsed.getAddress())) {
				String name = parsed.getPersonal();
				return new Maintainer(parsed.getAddress(), (name != null && !name.isBlank()) ? name : null);
			}
		}
		catch (jakarta.mail.internet.AddressException ex) {
			// Reported below, naming the setting.
		}
		throw new IllegalArgumentException("fleet-health.mail.maintainers: '" + text
				+ "' is not a mail address (e.g. ops@example.org or Jane Release <jane@example.org>)");
	}
}
