package org.fleethealth.fleet;

import java.util.List;
import java.util.Locale;

import org.fleethealth.fleet.internal.OwnerResolver;

/**
 * Whom to ask about a worker, as {@link OwnerResolver} found it: where from, every address that may be mailed, the
 * addresses read but never mailed (placeholders), and a contact note when no address could be read.
 *
 * @param source where the owner came from (the first rule that matched)
 * @param contacts the addresses to mail, in the order written; empty when there is nobody to mail
 * @param ignored addresses that were read but are placeholders (never mailed)
 * @param note the text as written when no address could be read from it, or a remark on how it was read
 * (de-obfuscated); {@code null} when there is nothing to say
 * @param deobfuscated whether an address was read back from an obfuscated form ({@code jane AT example DOT org})
 */
public record Owner(Source source, List<Contact> contacts, List<String> ignored, String note, boolean deobfuscated) {

	/** Nobody, and nothing written anywhere. */
	public static final Owner NONE = new Owner(Source.NONE, List.of(), List.of(), null, false);

	public Owner {
		contacts = List.copyOf(contacts);
		ignored = List.copyOf(ignored);
	}

	/** The first owner's display name, or {@code null}. */
	public String name() {
		return this.contacts.isEmpty() ? null : this.contacts.get(0).name();
	}

	/** The first owner's address, or {@code null} when there is nobody to mail. */
	public String email() {
		return this.contacts.isEmpty() ? null : this.contacts.get(0).email();
	}

	/** Whether some address may be mailed. */
	public boolean hasAddress() {
		return !this.contacts.isEmpty();
	}

	/** Where an owner came from: the resolution rules in their order. */
	public enum Source {

		/** {@code fleet-health.owners[<worker>]}. */
		CONFIGURED,
		/** {@code fleet-health.owners-by-prefix[<prefix>]}, the prefix being the worker name up to its first '-'. */
		PREFIX,
		/** The worker's {@code info/admin}. */
		ADMIN,
		/** Nobody to mail. */
		NONE;

		/** The lower-case name the API uses. */
		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/** One owner: an address that may be mailed, and the name written with it ({@code null} if none). */
	public record Contact(String name, String email) {

		@Override
		public String toString() {
			return (this.name != null) ? this.name + " <" + this.email + ">" : this.email;
		}

	}

}
