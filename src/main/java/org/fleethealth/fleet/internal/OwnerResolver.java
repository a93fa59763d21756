package org.fleethealth.fleet.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.fleet.Owner;
import org.fleethealth.system.FreeText;
import org.fleethealth.system.Regexes;

/**
 * Whom to ask about a worker, first match wins: {@code fleet-health.owners[<worker>]}, then
 * {@code fleet-health.owners-by-prefix[<prefix>]} (the worker name up to its first '-'), then the worker's
 * {@code info/admin} as people write it ({@link OwnerText}), else nobody. Placeholders are read but never mailed:
 * Buildbot's {@code Your Name Here <admin@youraddress.invalid>}, the reserved top-level domains {@code .invalid},
 * {@code .example}, {@code .test} and {@code .localhost}, and {@code fleet-health.mail.ignore-owner-patterns}.
 * Plain Java; what a worker reports is read once per distinct text.
 */
public class OwnerResolver {

	private static final Log logger = LogFactory.getLog(OwnerResolver.class);

	/** RFC 2606 / RFC 6761 top-level domains that never deliver. */
	private static final Set<String> RESERVED_TLDS = Set.of("invalid", "example", "test", "localhost");

	/** Buildbot's {@code buildbot-worker create-worker} default admin. */
	private static final String BUILDBOT_PLACEHOLDER_NAME = "your name here";

	/** The longest contact note kept (the stored {@code info/admin} is at most 500 characters). */
	static final int MAX_NOTE = 500;

	private static final int CACHE_LIMIT = 20_000;

	private final Map<String, Owner> configured = new HashMap<>();

	private final Map<String, Owner> byPrefix = new HashMap<>();

	private final List<Pattern> ignored = new ArrayList<>();

	private final Map<String, Owner> fromAdmin = new ConcurrentHashMap<>();

	/**
	 * @param owners owner text by worker name
	 * @param ownersByPrefix owner text by worker-name prefix
	 * @param ignorePatterns case-insensitive regular expressions of addresses never to mail
	 * @throws IllegalArgumentException if a pattern is not a regular expression
	 */
	public OwnerResolver(Map<String, String> owners, Map<String, String> ownersByPrefix, List<String> ignorePatterns) {
		this.ignored.addAll(Regexes.compile("fleet-health.mail.ignore-owner-patterns",
				ignorePatterns.stream().map(String::strip).toList()));
		owners.forEach((worker, text) -> this.configured.put(worker,
				checked("fleet-health.owners[" + worker + "]", read(Owner.Source.CONFIGURED, text))));
		ownersByPrefix.forEach((prefix, text) -> this.byPrefix.put(prefix,
				checked("fleet-health.owners-by-prefix[" + prefix + "]", read(Owner.Source.PREFIX, text))));
	}

	private static Owner checked(String property, Owner owner) {
		if (!owner.hasAddress()) {
			logger.warn(property + " has no address that can be mailed ('" + FreeText.oneLine(owner.note())
					+ "'): its workers have nobody to ask and are listed in the maintainers' weekly summary");
		}
		return owner;
	}

	/** The owner of a worker. */
	public Owner resolve(String worker, String admin) {
		Owner owner = this.configured.get(worker);
		if (owner != null) {
			return owner;
		}
		String prefix = prefix(worker);
		owner = (prefix != null) ? this.byPrefix.get(prefix) : null;
		if (owner != null) {
			return owner;
		}
		if (admin == null || admin.isBlank()) {
			return Owner.NONE;
		}
		Owner read = this.fromAdmin.get(admin);
		if (read == null) {
			if (this.fromAdmin.size() >= CACHE_LIMIT) {
				this.fromAdmin.clear();
			}
			read = read(Owner.Source.ADMIN, admin);
			this.fromAdmin.put(admin, read);
		}
		return read;
	}

	/** The worker name up to its first '-', or {@code null} when it has none. */
	static String prefix(String worker) {
		int dash = worker.indexOf('-');
		return (dash > 0) ? worker.substring(0, dash) : null;
	}

	private Owner read(Owner.Source source, String text) {
		String written = text.isBlank() ? null : FreeText.fit(text.strip(), MAX_NOTE);
		List<Owner.Contact> contacts = new ArrayList<>();
		List<String> placeholders = new ArrayList<>();
		boolean deobfuscated = false;
		for (OwnerText.Read read : OwnerText.read(text)) {
			if (isPlaceholder(read)) {
				placeholders.add(read.email());
			}
			else {
				contacts.add(new Owner.Contact(read.name(), read.email()));
				deobfuscated |= read.deobfuscated();
			}
		}
		if (contacts.isEmpty()) {
			// Nothing to mail: what was written is kept as a contact note, for people to read.
			return new Owner((source == Owner.Source.ADMIN) ? Owner.Source.NONE : source, List.of(), placeholders,
					written, false);
		}
		String note = deobfuscated ? "address de-obfuscated from '" + written + "'" : null;
		return new Owner(source, contacts, placeholders, note, deobfuscated);
	}

	private boolean isPlaceholder(OwnerText.Read read) {
		if (read.name() != null && read.name().strip().toLowerCase(Locale.ROOT).equals(BUILDBOT_PLACEHOLDER_NAME)) {
			return true;
		}
		if (RESERVED_TLDS.contains(OwnerText.topLevelDomain(read.email()))) {
			return true;
		}
		return this.ignored.stream().anyMatch((p) -> p.matcher(read.email()).matches());
	}

}
