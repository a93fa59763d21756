package org.fleethealth.mail;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;

import org.fleethealth.system.FreeText;

/**
 * Addresses and display names in headers: every address is checked with {@link InternetAddress} before it is
 * queued, and a display name that is not ASCII is RFC 2047-encoded wherever it appears (To, From, List-Id).
 */
final class MailAddresses {

	private static final Pattern PHRASE_AND_ID = Pattern.compile("^\\s*(.*?)\\s*<([^<>]+)>\\s*$");

	private MailAddresses() {
	}

	/** Whether the text is exactly one valid address, without a display name. */
	static boolean isValid(String address) {
		if (address == null || address.isBlank()) {
			return false;
		}
		try {
			InternetAddress parsed = new InternetAddress(address, true);
			parsed.validate();
			return parsed.getPersonal() == null && parsed.getAddress().equals(address);
		}
		catch (AddressException ex) {
			return false;
		}
	}

	/**
	 * The address with its display name, the name encoded as RFC 2047 when it is not ASCII (and on one line).
	 *
	 * @throws AddressException if the address is not valid
	 */
	static InternetAddress of(String address, String name) throws AddressException {
		if (!isValid(address)) {
			throw new AddressException("Not a valid mail address", address);
		}
		InternetAddress parsed = new InternetAddress(address, true);
		if (name != null && !name.isBlank()) {
			try {
				parsed.setPersonal(FreeText.oneLine(name).strip(), StandardCharsets.UTF_8.name());
			}
			catch (UnsupportedEncodingException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return parsed;
	}

	/**
	 * A configured address such as {@code fleet-health <noreply@example.org>}, its name encoded when it is not
	 * ASCII.
	 *
	 * @throws AddressException if it is not one valid address
	 */
	static InternetAddress configured(String text) throws AddressException {
		InternetAddress parsed = new InternetAddress(text, true);
		parsed.validate();
		return of(parsed.getAddress(), parsed.getPersonal());
	}

	/**
	 * A {@code List-Id} value ({@code phrase <id>}, RFC 2919) with the phrase encoded as RFC 2047 when it is not
	 * ASCII; the id itself is ASCII by definition.
	 */
	static String listId(String value) {
		Matcher m = PHRASE_AND_ID.matcher(FreeText.oneLine(value));
		if (!m.matches() || m.group(1).isEmpty()) {
			return FreeText.oneLine(value);
		}
		String phrase = m.group(1);
		try {
			String encoded = ascii(phrase) ? phrase : MimeUtility.encodeWord(phrase, "UTF-8", "Q");
			return encoded + " <" + m.group(2) + ">";
		}
		catch (UnsupportedEncodingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean ascii(String s) {
		return s.chars().allMatch((c) -> c < 128);
	}

}
