package org.fleethealth.fleet.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.fleethealth.fleet.Owner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Owner resolution, one row per form an owner is written in (issue 16), and the order of the rules. */
class OwnerResolverTests {

	private final OwnerResolver resolver = new OwnerResolver(
			Map.of("dave-macos", "Dave Dunn <dave@example.org>", "quiet-box", "nobody: retired in 2025",
					"ware-special", "Special <special@example.net>"),
			Map.of("ware", "Zachary Ware <zach@example.org>", "team", "Ann <ann@example.org>, Bob <bob@example.net>"),
			List.of(".*@users\\.noreply\\.github\\.com", "noreply@.*"));

	/**
	 * One form: the worker, its info/admin, and what resolution gives ({@code owners} as "Name <email>" or "email";
	 * {@code note} {@code null} when none).
	 */
	record Row(String form, String worker, String admin, String source, List<String> owners, List<String> ignored,
			String note) {

		@Override
		public String toString() {
			return this.form;
		}

	}

	private static Row row(String form, String worker, String admin, String source, String note, String... owners) {
		return new Row(form, worker, admin, source, Arrays.asList(owners), List.of(), note);
	}

	private static Row ignoring(String form, String admin, List<String> ignored, String note, String... owners) {
		return new Row(form, "x-linux", admin, (owners.length > 0) ? "admin" : "none", Arrays.asList(owners), ignored,
				note);
	}

	static Stream<Row> forms() {
		return Stream.of(
				// 1. fleet-health.owners[<worker>], which wins over everything else.
				row("configured owner", "dave-macos", "Someone Else <else@example.org>", "configured", null,
						"Dave Dunn <dave@example.org>"),
				row("configured owner wins over the prefix", "ware-special", null, "configured", null,
						"Special <special@example.net>"),
				row("configured text without an address: nobody to mail, the text is a note", "quiet-box",
						"Jane <jane@example.org>", "configured", "nobody: retired in 2025"),
				// 2. fleet-health.owners-by-prefix[<prefix>], the name up to its first '-'.
				row("owner by prefix", "ware-gentoo-x86", "Other <other@example.org>", "prefix", null,
						"Zachary Ware <zach@example.org>"),
				row("several owners by prefix", "team-arm64", null, "prefix", null, "Ann <ann@example.org>",
						"Bob <bob@example.net>"),
				row("a name without '-' has no prefix", "ware", "Jane <jane@example.org>", "admin", null,
						"Jane <jane@example.org>"),
				// 3. info/admin as people write it.
				row("Name <addr> with a trailing newline and spaces", "x-linux", "  Jane Doe <jane@example.org>\n",
						"admin", null, "Jane Doe <jane@example.org>"),
				row("a bare address", "x-linux", "jane@example.org\n", "admin", null, "jane@example.org"),
				row("addr (Name)", "x-linux", "jane@example.org (Jane Doe)", "admin", null,
						"Jane Doe <jane@example.org>"),
				row("mailto:", "x-linux", "Jane <mailto:jane@example.org>", "admin", null, "Jane <jane@example.org>"),
				row("two owners on one line", "x-linux", "Ann Example <ann@example.org>, Bob Example <bob@example.net>",
						"admin", null, "Ann Example <ann@example.org>", "Bob Example <bob@example.net>"),
				row("one owner per line", "x-linux", "Ann <ann@example.org>\nBob <bob@example.net>\n", "admin", null,
						"Ann <ann@example.org>", "Bob <bob@example.net>"),
				row("'and' between owners", "x-linux", "Ann <ann@example.org> and Bob <bob@example.net>", "admin", null,
						"Ann <ann@example.org>", "Bob <bob@example.net>"),
				row("a comma inside the name", "x-linux", "Doe, Jane <jane@example.org>", "admin", null,
						"Doe, Jane <jane@example.org>"),
				row("the same address twice", "x-linux", "Jane <jane@example.org>\nJANE@example.org", "admin", null,
						"Jane <jane@example.org>"),
				row("a name that is not ASCII", "x-linux", "Zoë Ångström <zoe@example.org>", "admin", null,
						"Zoë Ångström <zoe@example.org>"),
				row("a team alias", "x-linux", "Buildbot team <buildbot-team@lists.example.org>", "admin", null,
						"Buildbot team <buildbot-team@lists.example.org>"),
				row("obfuscated: AT and DOT", "x-linux", "Jane Doe <jane AT example DOT org>", "admin",
						"address de-obfuscated from 'Jane Doe <jane AT example DOT org>'", "Jane Doe <jane@example.org>"),
				row("obfuscated: at", "x-linux", "jane at example.org", "admin",
						"address de-obfuscated from 'jane at example.org'", "jane@example.org"),
				row("obfuscated: (at)", "x-linux", "jane(at)example.org", "admin",
						"address de-obfuscated from 'jane(at)example.org'", "jane@example.org"),
				row("obfuscated: [at] [dot]", "x-linux", "Jane [at] example [dot] co [dot] uk", "admin",
						"address de-obfuscated from 'Jane [at] example [dot] co [dot] uk'", "Jane@example.co.uk"),
				row("obfuscated, but no valid address", "x-linux", "jane AT example", "none", "jane AT example"),
				row("a sentence with 'at' in it", "x-linux", "Ask at the office at 9", "none", "Ask at the office at 9"),
				row("a URL", "x-linux", "https://github.com/python/buildmaster-config", "none",
						"https://github.com/python/buildmaster-config"),
				row("a URL with a user part", "x-linux", "https://jane@git.example.org/x", "none",
						"https://jane@git.example.org/x"),
				row("a sentence", "x-linux", "Please ask on the python-buildbots list\n", "none",
						"Please ask on the python-buildbots list"),
				row("null", "x-linux", "null", "none", "null"),
				row("an address that cannot be valid: no top-level domain", "x-linux", "Jane <jane@buildhost>", "none",
						"Jane <jane@buildhost>"),
				row("an address that cannot be valid: two @", "x-linux", "jane@@example.org", "none",
						"jane@@example.org"),
				row("markup around a name and an address", "x-linux", "<b>Mallory</b> <mallory@example.org>", "admin",
						null, "<b>Mallory</b> <mallory@example.org>"),
				row("markup without an address", "x-linux", "<script>alert(1)</script>", "none",
						"<script>alert(1)</script>"),
				row("example.org stays valid", "x-linux", "Ann <ann@example.org>", "admin", null,
						"Ann <ann@example.org>"),
				// Placeholders are read but never mailed.
				ignoring("Buildbot's create-worker placeholder", "Your Name Here <admin@youraddress.invalid>",
						List.of("admin@youraddress.invalid"), "Your Name Here <admin@youraddress.invalid>"),
				ignoring("the placeholder name with a real address", "Your Name Here <admin@example.org>",
						List.of("admin@example.org"), "Your Name Here <admin@example.org>"),
				ignoring("reserved TLD .example", "jane@buildbot.example", List.of("jane@buildbot.example"),
						"jane@buildbot.example"),
				ignoring("reserved TLD .test", "Jane <jane@fleet.test>", List.of("jane@fleet.test"),
						"Jane <jane@fleet.test>"),
				ignoring("reserved TLD .localhost", "jane@box.localhost", List.of("jane@box.localhost"),
						"jane@box.localhost"),
				ignoring("an ignore pattern", "Jane <1234+jane@users.noreply.github.com>",
						List.of("1234+jane@users.noreply.github.com"), "Jane <1234+jane@users.noreply.github.com>"),
				ignoring("an ignore pattern, any case", "NoReply@Example.org", List.of("NoReply@Example.org"),
						"NoReply@Example.org"),
				ignoring("a placeholder beside a real owner",
						"Your Name Here <admin@youraddress.invalid>, Ann <ann@example.org>",
						List.of("admin@youraddress.invalid"), null, "Ann <ann@example.org>"),
				// 4. Nobody.
				row("nothing written", "x-linux", null, "none", null),
				row("blank", "x-linux", " \n ", "none", null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("forms")
	void resolves(Row row) {
		Owner owner = this.resolver.resolve(row.worker(), row.admin());
		assertThat(owner.source().label()).isEqualTo(row.source());
		assertThat(owner.contacts()).extracting(Owner.Contact::toString).containsExactlyElementsOf(row.owners());
		assertThat(owner.ignored()).containsExactlyElementsOf(row.ignored());
		assertThat(owner.note()).isEqualTo(row.note());
		assertThat(owner.deobfuscated()).isEqualTo(row.note() != null && row.note().startsWith("address de-obfuscated"));
		assertThat(owner.email()).isEqualTo(row.owners().isEmpty() ? null : owner.contacts().get(0).email());
	}

	@Test
	void aLongNoteIsKeptWithinItsBound() {
		Owner owner = this.resolver.resolve("x-linux", "a sentence ".repeat(100));
		assertThat(owner.hasAddress()).isFalse();
		assertThat(owner.note()).hasSize(OwnerResolver.MAX_NOTE);
	}

	@Test
	void anIgnorePatternThatIsNoRegularExpressionStopsTheStart() {
		assertThatIllegalArgumentException().isThrownBy(() -> new OwnerResolver(Map.of(), Map.of(), List.of("(")))
			.withMessageContaining("fleet-health.mail.ignore-owner-patterns: '(' is not a regular expression");
	}

}
