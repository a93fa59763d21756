package org.fleethealth.mail;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.fleethealth.MutableClock;
import org.fleethealth.fleet.FakeFleet;
import org.fleethealth.fleet.FakeSource;
import org.fleethealth.fleet.PollService;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whom the weekly mail reaches, from what workers report in {@code info/admin} through a real SMTP server
 * (GreenMail): a non-ASCII owner name is RFC 2047-encoded in the headers, every owner of a worker gets it, an
 * obfuscated address is read back, and a worker whose owner is a placeholder gets no message but is listed in the
 * maintainers' weekly summary.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "fleet-health.mail.enabled=false",
		"spring.datasource.url=jdbc:h2:mem:ownermail", "fleet-health.public-url=http://fleet.example.org/",
		"fleet-health.mail.maintainers=ops@example.org",
		"fleet-health.mail.from=Flottenwächter <noreply@fleet.example.org>",
		"fleet-health.mail.list-id=Flottenwächter <fleet.example.org>",
		"fleet-health.owners-by-prefix[cpy]=Cee Python <cpython@example.org>",
		"spring.mail.properties.mail.smtp.connectiontimeout=2000", "spring.mail.properties.mail.smtp.timeout=2000",
		"fake-fleet.master=lab", "fake-fleet.start=" + OwnerMailTests.MONDAY_TEXT })
@Import(FakeFleet.class)
@DirtiesContext
class OwnerMailTests {

	static final String MONDAY_TEXT = "2026-11-23T10:00:00Z";

	static final Instant MONDAY = Instant.parse(MONDAY_TEXT);

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	static final int SMTP_PORT = freePort();

	static final GreenMail smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

	static {
		smtp.start();
	}


	@DynamicPropertySource
	static void mail(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> SMTP_PORT);
	}

	@Autowired
	PollService polls;

	@Autowired
	OnceOverService digest;

	@Autowired
	MailDelivery delivery;

	@AfterAll
	static void stopSmtp() {
		smtp.stop();
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static SourceWorker worker(long id, String name, boolean connected, String admin) {
		return new SourceWorker(id, name, connected, Set.of(id), admin, "host", "3.7.0", false);
	}

	private static List<SourceWorker> fleet(boolean connected) {
		return List.of(worker(1, "zoe-debian", connected, "Zoë Ångström <zoe@example.org>\n"),
				worker(2, "duo-freebsd", connected, "Ann Example <ann@example.org>, Bob Example <bob@example.net>"),
				worker(3, "ghost-ubuntu", connected, "Your Name Here <admin@youraddress.invalid>"),
				worker(4, "ware-gentoo", connected, "Zachary Ware <zach AT example DOT org>"),
				worker(5, "url-macos", connected, "see https://wiki.example.org/buildbot <b>owners</b>"),
				worker(6, "cpy-win11", true, null));
	}

	private static String to(MimeMessage message) {
		try {
			return ((InternetAddress) message.getAllRecipients()[0]).getAddress();
		}
		catch (MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static MimeMessage to(List<MimeMessage> messages, String address) {
		return messages.stream().filter((m) -> to(m).equals(address)).findFirst().orElseThrow();
	}

	@Test
	void digestsReachEveryUsableOwnerAndTheMaintainersHearOfTheRest() throws Exception {
		// Everyone connects, then all but cpy-win11 go away for over an hour: offline, in need of attention.
		source.workers = fleet(true);
		this.polls.pollWorkers();
		// Workers are judged once their builds have been read (none here).
		this.polls.pollBuilds();
		clock.advance(Duration.ofMinutes(1));
		source.workers = fleet(false);
		this.polls.pollWorkers();
		clock.advance(Duration.ofHours(2));
		this.polls.pollWorkers();

		OnceOverService.Result result = this.digest.run();
		assertThat(result.queued()).as("zoe, ann, bob, zach").isEqualTo(4);
		assertThat(result.allGreen()).as("cpython, by prefix").isEqualTo(1);
		assertThat(result.withoutOwner()).as("ghost-ubuntu, url-macos").isEqualTo(2);
		assertThat(result.summaries()).isEqualTo(1);
		assertThat(this.delivery.deliver()).isEqualTo(5);
		List<MimeMessage> mail = new ArrayList<>(List.of(smtp.getReceivedMessages()));
		assertThat(mail).extracting(OwnerMailTests::to)
			.containsExactlyInAnyOrder("zoe@example.org", "ann@example.org", "bob@example.net", "zach@example.org",
					"ops@example.org");

		// A non-ASCII name is RFC 2047-encoded in every header it appears in, and reads back as written.
		MimeMessage zoe = to(mail, "zoe@example.org");
		assertThat(zoe.getHeader("To")[0]).startsWith("=?UTF-8?").endsWith("<zoe@example.org>").matches("\\p{ASCII}*");
		assertThat(((InternetAddress) zoe.getRecipients(MimeMessage.RecipientType.TO)[0]).getPersonal())
			.isEqualTo("Zoë Ångström");
		assertThat(zoe.getHeader("From")[0]).startsWith("=?UTF-8?").endsWith("<noreply@fleet.example.org>");
		assertThat(((InternetAddress) zoe.getFrom()[0]).getPersonal()).isEqualTo("Flottenwächter");
		assertThat(zoe.getHeader("List-Id")[0]).startsWith("=?UTF-8?").endsWith("<fleet.example.org>");
		assertThat(MailFaultsTests.part(zoe, "text/plain")).startsWith("Hello Zoë Ångström,");

		// Both owners written on one line get the worker.
		assertThat(MailFaultsTests.part(to(mail, "ann@example.org"), "text/plain")).contains("== duo-freebsd on lab");
		assertThat(MailFaultsTests.part(to(mail, "bob@example.net"), "text/plain")).contains("== duo-freebsd on lab");
		// The obfuscated address was read back, and the digest says so.
		assertThat(MailFaultsTests.part(to(mail, "zach@example.org"), "text/plain"))
			.contains("owner: address de-obfuscated from 'Zachary Ware <zach AT example DOT org>'");

		// Nobody is mailed at the placeholder; the maintainers hear of both workers nobody can be asked about.
		String summary = MailFaultsTests.part(to(mail, "ops@example.org"), "text/plain");
		assertThat(to(mail, "ops@example.org").getSubject())
			.isEqualTo("[fleet-health] Weekly summary: 2 workers with no owner to ask (2026-W48)");
		assertThat(summary).contains("Workers with no owner to ask")
			.contains("== ghost-ubuntu on lab: offline")
			.contains("placeholder address, never mailed: admin@youraddress.invalid")
			.contains("== url-macos on lab: offline")
			.contains("info/admin has no address to mail: \"see https://wiki.example.org/buildbot <b>owners</b>\"")
			.doesNotContain("zoe-debian", "duo-freebsd", "cpy-win11");
		assertThat(MailFaultsTests.part(to(mail, "ops@example.org"), "text/html"))
			.contains("&lt;b&gt;owners&lt;/b&gt;")
			.doesNotContain("<b>owners</b>");

		// Once per week: a second run queues nothing, the summary included.
		OnceOverService.Result again = this.digest.run();
		assertThat(again.queued()).isZero();
		assertThat(again.summaries()).isZero();
		assertThat(this.delivery.deliver()).isZero();
		assertThat(smtp.getReceivedMessages()).hasSize(5);
	}

}
