package org.fleethealth.mail;

import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.fleethealth.MutableClock;
import org.fleethealth.fleet.FakeFleet;
import org.fleethealth.fleet.FakeSource;
import org.fleethealth.fleet.PollService;
import org.fleethealth.pruning.ProposalKind;
import org.fleethealth.pruning.ProposalStatus;
import org.fleethealth.pruning.PruningService;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Owner mail end to end with a real SMTP server (GreenMail): the weekly digest reaches each owner once with
 * both parts and working reply links, proposals reach maintainers and owners, replies act on proposals, and
 * an SMTP outage delays mail without losing or repeating any.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "fleet-health.poll.enabled=false", "fleet-health.mail.enabled=false",
				"spring.datasource.url=jdbc:h2:mem:mailflow", "fleet-health.public-url=http://fleet.test/",
				"fleet-health.owners[dave-macos]=Dave Dunn <dave@example.org>",
				"fleet-health.mail.maintainers=Ops Team <ops@example.org>", "fleet-health.mail.from=fleet-health <noreply@fleet.test>",
				"spring.mail.properties.mail.smtp.connectiontimeout=2000",
				"spring.mail.properties.mail.smtp.timeout=2000", "fake-fleet.master=lab",
				"fake-fleet.start=" + MailFlowTests.MONDAY_TEXT })
@Import(FakeFleet.class)
@DirtiesContext
class MailFlowTests {

	static final String MONDAY_TEXT = "2026-11-23T10:00:00Z";

	static final Instant MONDAY = Instant.parse(MONDAY_TEXT);

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	static final int SMTP_PORT = freePort();

	static GreenMail smtp = startSmtp();


	@DynamicPropertySource
	static void mail(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> SMTP_PORT);
	}

	@LocalServerPort
	int port;

	@Autowired
	PollService polls;

	@Autowired
	OnceOverService digest;

	@Autowired
	MailDelivery delivery;

	@Autowired
	OutboxReader outbox;

	@Autowired
	PruningService pruning;

	@Autowired
	MeterRegistry meters;

	private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

	private final List<MimeMessage> received = new ArrayList<>();

	private String csrfToken;

	@AfterAll
	static void stopSmtp() {
		smtp.stop();
	}

	static GreenMail startSmtp() {
		GreenMail mail = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		mail.start();
		return mail;
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static SourceWorker worker(long id, String name, boolean connected) {
		String owner = name.substring(0, name.indexOf('-'));
		return connected
				? new SourceWorker(id, name, true, Set.of(id), owner + " <" + owner + "@example.org>", "host", "3.7.0", false)
				: new SourceWorker(id, name, false, Set.of(id), null, null, null, false);
	}

	/** Everything GreenMail received since the last call. */
	private List<MimeMessage> newMail() {
		MimeMessage[] all = smtp.getReceivedMessages();
		List<MimeMessage> fresh = new ArrayList<>(List.of(all).subList(this.received.size(), all.length));
		this.received.addAll(fresh);
		return fresh;
	}

	private static String to(MimeMessage message) {
		try {
			return ((InternetAddress) message.getAllRecipients()[0]).getAddress();
		}
		catch (jakarta.mail.MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String part(MimeMessage message, String type) throws Exception {
		MimeMultipart alternative = (MimeMultipart) message.getContent();
		for (int i = 0; i < alternative.getCount(); i++) {
			if (alternative.getBodyPart(i).isMimeType(type)) {
				return (String) alternative.getBodyPart(i).getContent();
			}
		}
		throw new AssertionError("no " + type + " part");
	}

	private static String link(String text, String label) {
		Matcher m = Pattern.compile(Pattern.quote(label) + "\\s+(http://fleet\\.test/replies/\\S+)").matcher(text);
		assertThat(m.find()).as("a '" + label + "' link in:\n" + text).isTrue();
		return m.group(1);
	}

	private HttpResponse<String> get(String publicLink) throws Exception {
		return this.http.send(HttpRequest.newBuilder(local(publicLink)).build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Submits the confirmation form the way a browser would, with the page's CSRF token; a page without a form
	 * (a used link) is submitted as an old tab would be, with the session's token seen before.
	 */
	private HttpResponse<String> confirm(String publicLink, String form) throws Exception {
		HttpResponse<String> page = get(publicLink);
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
		if (csrf.find()) {
			this.csrfToken = csrf.group(1);
		}
		String body = form + ((this.csrfToken != null)
				? "&_csrf=" + URLEncoder.encode(this.csrfToken, StandardCharsets.UTF_8) : "");
		return this.http.send(HttpRequest.newBuilder(local(publicLink))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI local(String publicLink) {
		return URI.create(publicLink.replace("http://fleet.test/", "http://127.0.0.1:" + this.port + "/"));
	}

	private String api(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString()).body();
	}

	@Test
	void digestsProposalsRepliesAndAnSmtpOutage() throws Exception {
		// A fleet: alice healthy, bob goes away, dave never connected.
		source.workers = List.of(worker(1, "alice-debian", true), worker(2, "bob-freebsd", true),
				worker(3, "dave-macos", false));
		this.polls.pollWorkers();
		// Workers are judged once their builds have been read (none here).
		this.polls.pollBuilds();
		source.workers = List.of(worker(1, "alice-debian", true), worker(2, "bob-freebsd", false),
				worker(3, "dave-macos", false));
		clock.advance(Duration.ofMinutes(1));
		this.polls.pollWorkers();
		clock.advance(Duration.ofHours(2));
		this.polls.pollWorkers();

		// The digest: one message per owner with something to do, none for alice (all green).
		OnceOverService.Result first = this.digest.run();
		assertThat(first).isEqualTo(new OnceOverService.Result("2026-W48", 2, 0, 1, 0, 0, 0));
		assertThat(this.delivery.deliver()).isEqualTo(2);
		List<MimeMessage> mails = newMail();
		assertThat(mails).extracting(MailFlowTests::to)
			.containsExactlyInAnyOrder("bob@example.org", "dave@example.org");
		MimeMessage bobs = mails.stream().filter((m) -> to(m).startsWith("bob")).findFirst().orElseThrow();
		assertThat(bobs.getContentType()).startsWith("multipart/alternative");
		assertThat(bobs.getHeader("List-Id")[0]).isEqualTo("fleet-health <fleet-health.localhost>");
		assertThat(bobs.getMessageID()).matches("<once-over\\.[0-9a-f]{24}@fleet\\.test>");
		assertThat(bobs.getSubject()).isEqualTo("[fleet-health] Once-over requested: 1 of your 1 build worker (2026-W48)");
		String text = part(bobs, "text/plain");
		assertThat(text).contains("== bob-freebsd on lab: offline since 2026-11-23T10:01:00Z")
			.contains("It is down. Why, and when (or if) can it be expected back?");
		assertThat(part(bobs, "text/html")).contains("href=\"" + link(text, "It will be back by a date:") + "\"");

		// A second run in the same week sends nothing more.
		assertThat(this.digest.run().queued()).isZero();
		assertThat(this.delivery.deliver()).isZero();
		assertThat(newMail()).isEmpty();

		// The reply link: GET shows a page and changes nothing; POST records; a second POST is refused.
		String backBy = link(text, "It will be back by a date:");
		HttpResponse<String> page = get(backBy);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("Back by a date").contains("bob-freebsd");
		assertThat(api("/api/workers/lab/bob-freebsd")).contains("\"replies\":[]");
		// A field the service cannot take gives the form again, saying why, with what the owner typed; the link
		// still works.
		HttpResponse<String> badDate = confirm(backBy, "backBy=1.12.2026&note=new+disk+on+order");
		assertThat(badDate.statusCode()).isEqualTo(400);
		assertThat(badDate.body()).contains("Please give the date as YYYY-MM-DD.")
			.contains("value=\"1.12.2026\"")
			.contains(">new disk on order</textarea>");
		// A day that does not exist is told as such, and an empty date as missing, with the empty field as typed (a
		// trial got "between today and one year from now" and the default date back); the range is in the field too.
		assertThat(confirm(backBy, "backBy=2026-02-30").body()).contains("There is no day 2026-02-30: please give a date"
				+ " that exists, as YYYY-MM-DD.");
		HttpResponse<String> noDate = confirm(backBy, "backBy=&note=soon");
		assertThat(noDate.statusCode()).isEqualTo(400);
		assertThat(noDate.body()).contains("Please give the date it will be back by, between today and one year from now")
			.containsPattern("name=\"backBy\" value=\"\"")
			.containsPattern("max=\"20\\d\\d-\\d\\d-\\d\\d\"");
		assertThat(confirm(backBy, "backBy=2030-01-01").body()).contains("between today and one year from now (")
			.contains("), not 2030-01-01.");
		HttpResponse<String> longNote = confirm(backBy, "backBy=2026-12-01&note=" + "x".repeat(2001));
		assertThat(longNote.statusCode()).isEqualTo(400);
		assertThat(longNote.body()).contains("The note has 2001 characters; at most 2000 fit.")
			.contains(">" + "x".repeat(2001) + "</textarea>")
			.contains("maxlength=\"2000\"");
		assertThat(api("/api/workers/lab/bob-freebsd")).contains("\"replies\":[]");
		HttpResponse<String> done = confirm(backBy, "backBy=2026-12-01&note=new+disk+on+order");
		assertThat(done.statusCode()).isEqualTo(200);
		assertThat(done.body()).contains("Thank you");
		assertThat(api("/api/workers/lab/bob-freebsd")).contains("\"action\":\"back-by\"").contains("\"backBy\":\"2026-12-01\"")
			.contains("new disk on order");
		assertThat(confirm(backBy, "backBy=2026-12-02").statusCode()).isEqualTo(410);
		assertThat(get(backBy).body()).contains("already used");
		assertThat(get(backBy.substring(0, backBy.length() - 3) + "xyz").statusCode()).isEqualTo(404);

		// A week later both have been offline for 7 days. dave's proposal reaches the maintainers and dave;
		// bob's waits until the day bob said it would be back.
		clock.advance(Duration.ofDays(7));
		this.polls.pollWorkers();
		assertThat(this.pruning.proposals("lab", "dave-macos")).singleElement().satisfies((p) -> {
			assertThat(p.kind()).isEqualTo(ProposalKind.HIDE_BUILDERS);
			assertThat(p.status()).isEqualTo(ProposalStatus.PROPOSED);
			assertThat(p.reason()).startsWith("offline for 7d 2h (since 2026-11-23T10:00:00Z; hide-builders-after 7d)");
		});
		assertThat(this.pruning.proposals("lab", "bob-freebsd")).singleElement().satisfies((p) -> {
			assertThat(p.status()).isEqualTo(ProposalStatus.SNOOZED);
			assertThat(p.snoozedUntil()).isEqualTo(Instant.parse("2026-12-02T00:00:00Z"));
		});
		assertThat(this.delivery.deliver()).isEqualTo(2);
		List<MimeMessage> proposalMail = newMail();
		assertThat(proposalMail).extracting(MailFlowTests::to)
			.containsExactlyInAnyOrder("ops@example.org", "dave@example.org");
		MimeMessage notice = proposalMail.stream()
			.filter((m) -> to(m).startsWith("dave"))
			.findFirst()
			.orElseThrow();
		String retire = link(part(notice, "text/plain"), "Retire it:");

		// dave retires it: the removal is approved and exported.
		assertThat(confirm(retire, "note=host+is+dead").statusCode()).isEqualTo(200);
		assertThat(this.pruning.approved()).singleElement().satisfies((p) -> {
			assertThat(p.kind()).isEqualTo(ProposalKind.REMOVE_WORKER);
			assertThat(p.decidedBy()).isEqualTo("dave@example.org (owner reply)");
		});
		assertThat(api("/api/pruning/export")).contains("\"worker\":\"dave-macos\"").contains("remove-worker");
		// The maintainers, who carry removals out, are told (a new user's finding: only /pruning showed it).
		await().until(() -> this.delivery.deliver() > 0);
		assertThat(newMail()).singleElement().satisfies((m) -> {
			assertThat(to(m)).isEqualTo("ops@example.org");
			// The name configured with the address goes in the To header (a trial found it dropped).
			assertThat(((InternetAddress) m.getAllRecipients()[0]).getPersonal()).isEqualTo("Ops Team");
			assertThat(m.getSubject()).isEqualTo("[fleet-health] dave-macos on lab is to be retired, as its owner asked");
			assertThat(part(m, "text/plain")).contains("dave@example.org (owner reply) asked on")
				.contains("Their note: host is dead")
				.contains("api/pruning/export?format=text");
		});

		// An expired link is refused with a clear page.
		String investigating = link(part(notice, "text/plain"), "I am investigating:");
		clock.advance(Duration.ofDays(15));
		HttpResponse<String> expired = get(investigating);
		assertThat(expired.statusCode()).isEqualTo(410);
		assertThat(expired.body()).contains("expired");

		// SMTP goes down: the next digest stays in the outbox, visible in the metrics, and nothing is lost. dave asked
		// to retire dave-macos, his only worker needing attention: his digest asks him nothing, so he gets none (a
		// new user's finding: he was asked again why it was down).
		smtp.stop();
		assertThat(this.digest.run().queued()).isEqualTo(1);
		assertThat(this.delivery.deliver()).isZero();
		assertThat(this.meters.get("fleet.mail.outbox.pending").gauge().value()).isEqualTo(1.0);
		assertThat(this.meters.get("fleet.mail.failures").counter().count()).isEqualTo(1.0);
		// The failed message then waits a minute: no attempt before (MailFaultsTests has one attempt per run).
		assertThat(this.delivery.deliver()).isZero();
		clock.advance(Duration.ofSeconds(30));
		assertThat(this.delivery.deliver()).as("backing off: no attempt yet").isZero();
		assertThat(this.meters.get("fleet.mail.failures").counter().count()).isEqualTo(1.0);
		// What waits can be read without SMTP (GET /api/mail/outbox): bob's digest, with its attempt and error.
		assertThat(this.outbox.newest("pending", 10)).singleElement().satisfies((m) -> {
			assertThat(m.kind()).isEqualTo("once-over");
			assertThat(m.to()).contains("bob@example.org");
			assertThat(m.attempts()).isEqualTo(1);
			assertThat(m.lastError()).isNotBlank();
			assertThat(m.text()).contains("bob-freebsd");
		});
		assertThat(this.outbox.newest(null, 500)).hasSizeGreaterThan(1);
		// The front page says so (OutboxReader.trouble): one retry waiting, its error, when it is tried next.
		assertThat(this.outbox.trouble()).hasValueSatisfying((t) -> {
			assertThat(t.waiting()).isEqualTo(1);
			assertThat(t.retrying()).isEqualTo(1);
			assertThat(t.givenUp()).isZero();
			assertThat(t.waitingForSmtp()).as("SMTP is configured, only down").isZero();
			assertThat(t.lastError()).as("which server, and what failed")
				.startsWith("SMTP server 127.0.0.1:" + SMTP_PORT + ": ")
				.contains("Exception");
			assertThat(t.nextAttemptAt()).isAfter(clock.instant());
		});

		// SMTP is back: each message goes exactly once.
		smtp = startSmtp();
		this.received.clear();
		clock.advance(Duration.ofMinutes(2));
		assertThat(this.delivery.deliver()).isEqualTo(1);
		assertThat(this.delivery.deliver()).isZero();
		assertThat(newMail()).extracting(MailFlowTests::to).containsExactly("bob@example.org");
		assertThat(this.meters.get("fleet.mail.outbox.pending").gauge().value()).isZero();
		assertThat(this.outbox.trouble()).as("delivered: nothing to show").isEmpty();
		assertThat(this.meters.get("fleet.mail.sent").tag("kind", "once-over").counter().count()).isEqualTo(3.0);
		// Every kind the README lists is there from the start, at 0 until one is sent (a trial missed "retired").
		assertThat(this.meters.get("fleet.mail.sent").counters()).extracting((c) -> c.getId().getTag("kind"))
			.containsExactlyInAnyOrder("once-over", "maintainers-summary", "proposals", "proposal-notice", "retired",
					"quarantine", "quarantine-proposal", "removal-reply");
		assertThat(LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC)).isAfter(LocalDate.of(2026, 12, 1));
	}

}
