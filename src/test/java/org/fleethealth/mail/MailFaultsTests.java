package org.fleethealth.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import io.micrometer.core.instrument.MeterRegistry;
import org.fleethealth.MutableClock;
import org.fleethealth.SyncEvents;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.BDDMockito.given;

/**
 * The outbox's faults (issue 15): a digest too big for its column is made to fit, not taken for "already queued"
 * (B7); a permanent mail error fails its message once and does not hold back the batch (B10); the pending gauge
 * moves when the transaction commits (B12). Against H2 with an SMTP stand-in that refuses what a test tells it to.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "fleet-health.mail.enabled=false",
		"spring.datasource.url=jdbc:h2:mem:mailfaults", "fleet-health.public-url=http://fleet.example.org/" })
@DirtiesContext
class MailFaultsTests {

	static final Instant MONDAY = Instant.parse("2026-11-23T10:00:00Z");

	static final MutableClock clock = new MutableClock(MONDAY);

	static final ScriptedSmtp smtp = new ScriptedSmtp();

	@TestConfiguration
	@Import(SyncEvents.class)
	static class Config {

		@Bean
		@Primary
		MutableClock testClock() {
			return clock;
		}

		@Bean
		JavaMailSender scriptedSmtp() {
			return smtp;
		}

	}

	@MockitoBean
	WorkerReports reports;

	@Autowired
	OnceOverService digest;

	@Autowired
	MailDelivery delivery;

	@Autowired
	Outbox outbox;

	@Autowired
	OutboxMessages messages;

	@Autowired
	OutboxReader reader;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	MeterRegistry meters;

	@BeforeEach
	void reset() {
		this.transactions.executeWithoutResult((tx) -> this.messages.deleteAll());
		this.outbox.refreshPending();
		smtp.reset();
	}

	/**
	 * CPython's largest owner: 20 workers serving 710 builders between them, every one failing, each worker's
	 * evidence as long as the judgement stores (10,000 characters).
	 */
	private static List<WorkerReport> cpythonOwner() {
		// Each worker's evidence as long as the judgement stores it; all of it is more than the text column holds.
		List<WorkerReport> workers = new ArrayList<>();
		int builder = 0;
		for (int w = 0; w < 20; w++) {
			String name = "cpython-worker" + w;
			List<String> evidence = new ArrayList<>();
			int length = 0;
			for (int b = 0; b < 36 && builder < 710; b++, builder++) {
				String builderName = "AMD64 Windows Server 2022 NoGIL Refleaks Builder number " + builder + " 3.x";
				String line = "'" + builderName + "' failed its last 3 builds in step 'test' since 2026-11-20T09:00:00Z"
						+ " (#1234 at 2026-11-20T09:00:00Z, #1235 at 2026-11-21T09:00:00Z, #1236 at"
						+ " 2026-11-22T09:00:00Z; revision 99723cd62b9894e9898c4ba1bf7bf55bbb8bbbb3)";
				if (length + line.length() + 1 > 10_000) {
					break;
				}
				evidence.add(line);
				length += line.length() + 1;
			}
			workers.add(new WorkerReport("python", name, WorkerState.FAILING_BUILD, MONDAY.minus(Duration.ofDays(2)),
					new WorkerReport.OwnerView("Cee Python", "cpython@example.org"), MONDAY, true, false, "4.2.1",
					"Windows Server 2022", Set.of("nogil"), evidence, new WorkerReport.Counts(0, 3, 0, 0, 3, 0), MONDAY,
					null, null, null));
		}
		return workers;
	}

	@Test
	void aDigestTooBigForItsColumnIsMadeToFitNotTakenForAlreadyQueued() throws Exception {
		List<WorkerReport> owner = cpythonOwner();
		assertThat(owner.stream().mapToInt((w) -> String.join("\n", w.evidence()).length()).sum())
			.as("the evidence alone is more than the text column holds")
			.isGreaterThan(OutboxMessage.MAX_TEXT_BODY * 19 / 20);
		given(this.reports.all()).willReturn(owner);

		OnceOverService.Result result = this.digest.run();

		assertThat(result.queued()).as("queued, not silently dropped as 'already queued'").isEqualTo(1);
		assertThat(result.alreadyQueued()).isZero();
		assertThat(result.failed()).isZero();
		assertThat(this.delivery.deliver()).isEqualTo(1);
		MimeMessage mail = smtp.sent.get(0);
		String text = part(mail, "text/plain");
		String html = part(mail, "text/html");
		assertThat(text.length()).isLessThanOrEqualTo(OutboxMessage.MAX_TEXT_BODY);
		assertThat(html.length()).isLessThanOrEqualTo(OutboxMessage.MAX_HTML_BODY);
		for (int w = 0; w < 20; w++) {
			assertThat(text).as("every worker is named").contains("cpython-worker" + w + " ");
		}
		assertThat(text).contains("more on the worker's page").contains("http://fleet.example.org/workers/python/cpython-worker0");
		assertThat(mail.getSubject()).isEqualTo("[fleet-health] Once-over requested: 20 of your 20 build workers (2026-W48)");

		// A second run the same week: already queued, for real this time.
		assertThat(this.digest.run().alreadyQueued()).isEqualTo(1);
	}

	@Test
	void onlyTheOutboxKeyMeansAlreadyQueued() {
		this.transactions.executeWithoutResult((tx) -> this.outbox.enqueue("test", "ann@example.org", null, "w1",
				"subject", "text", null));
		DataIntegrityViolationException duplicate = violation(
				new OutboxMessage("test", "ann@example.org", null, "w1", "s", "t", null, "<a@b>", MONDAY));
		DataIntegrityViolationException tooLong = violation(new OutboxMessage("test", "ann@example.org", null, "w2",
				"s", "t".repeat(OutboxMessage.MAX_TEXT_BODY + 1), null, "<a@b>", MONDAY));
		assertThat(Outbox.isDuplicateKey(duplicate)).isTrue();
		assertThat(Outbox.isDuplicateKey(tooLong)).isFalse();
	}

	private DataIntegrityViolationException violation(OutboxMessage message) {
		try {
			this.transactions.executeWithoutResult((tx) -> this.messages.saveAndFlush(message));
		}
		catch (DataIntegrityViolationException ex) {
			return ex;
		}
		throw new AssertionError("no constraint violation");
	}

	@Test
	void aPermanentMailErrorFailsItsMessageOnceAndTheBatchGoesOn() {
		// Queued in order: a malformed address from before addresses were checked, a recipient the server refuses,
		// a message whose data the server refuses, and two good ones.
		this.transactions.executeWithoutResult((tx) -> {
			this.messages.save(new OutboxMessage("once-over", "jane AT example DOT org", null, "2026-W48", "s", "t",
					null, "<m1@fleet>", MONDAY));
			this.outbox.enqueue("once-over", "gone@example.org", null, "2026-W48", "s", "t", null);
			this.outbox.enqueue("once-over", "spam@example.org", null, "2026-W48", "s", "t", null);
			this.outbox.enqueue("once-over", "ann@example.org", null, "2026-W48", "s", "t", null);
			this.outbox.enqueue("once-over", "bob@example.org", null, "2026-W48", "s", "t", null);
		});
		smtp.rejectRecipient.add("gone@example.org");
		smtp.rejectData.add("spam@example.org");
		double failures = this.meters.get("fleet.mail.failures").counter().count();

		assertThat(this.delivery.deliver()).as("the good ones go in the same run").isEqualTo(2);
		assertThat(smtp.sentTo()).containsExactly("ann@example.org", "bob@example.org");
		assertThat(status("jane AT example DOT org")).isEqualTo(OutboxMessage.FAILED);
		assertThat(status("gone@example.org")).isEqualTo(OutboxMessage.FAILED);
		assertThat(status("spam@example.org")).isEqualTo(OutboxMessage.FAILED);
		assertThat(this.messages.findAll()).filteredOn((m) -> m.getStatus().equals(OutboxMessage.FAILED))
			.allSatisfy((m) -> assertThat(m.getAttempts()).isEqualTo(1))
			.extracting(OutboxMessage::getLastError)
			.anySatisfy((e) -> assertThat(e).contains("550 5.1.1"))
			.anySatisfy((e) -> assertThat(e).contains("554 5.7.1"))
			.anySatisfy((e) -> assertThat(e).contains("AddressException"));
		assertThat(this.meters.get("fleet.mail.failures").counter().count()).isEqualTo(failures + 3);
		assertThat(this.meters.get("fleet.mail.undeliverable").counter().count()).isGreaterThanOrEqualTo(3);

		// The front page says three were given up, with one of their errors; nothing waits for a retry.
		assertThat(this.reader.trouble()).hasValueSatisfying((t) -> {
			assertThat(t.givenUp()).isEqualTo(3);
			assertThat(t.retrying()).isZero();
			assertThat(t.nextAttemptAt()).isNull();
			assertThat(t.lastError()).containsAnyOf("550 5.1.1", "554 5.7.1", "AddressException");
		});

		// Never tried again.
		clock.advance(Duration.ofDays(1));
		smtp.reset();
		assertThat(this.delivery.deliver()).isZero();
		assertThat(smtp.attempts).isZero();
		// Shown for a week after their last attempt, then no more.
		clock.advance(OutboxReader.GIVEN_UP_SHOWN);
		assertThat(this.reader.trouble()).isEmpty();
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void anOutageStillWaitsAndIsRetried(CapturedOutput output) {
		smtp.setHost("mail.example.org");
		smtp.setPort(2525);
		this.transactions.executeWithoutResult((tx) -> {
			this.outbox.enqueue("once-over", "ann@example.org", null, "2026-W48", "s", "t", null);
			this.outbox.enqueue("once-over", "bob@example.org", null, "2026-W48", "s", "t", null);
		});
		smtp.down = true;
		assertThat(this.delivery.deliver()).isZero();
		assertThat(smtp.attempts).as("the batch stops at the first outage").isEqualTo(1);
		assertThat(this.messages.findAll()).extracting(OutboxMessage::getStatus).containsOnly(OutboxMessage.PENDING);
		assertThat(output).as("which server failed").contains("through SMTP server mail.example.org:2525 failed (attempt 1");

		smtp.down = false;
		clock.advance(Duration.ofMinutes(2));
		assertThat(this.delivery.deliver()).isEqualTo(2);
	}

	@Test
	void aMessageWithAnInvalidAddressNeverReachesTheOutbox() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.transactions.executeWithoutResult((tx) -> this.outbox.enqueue("once-over",
					"jane AT example DOT org", null, "2026-W48", "s", "t", null)));
		assertThat(this.messages.count()).isZero();
	}

	@Test
	void thePendingGaugeMovesWhenTheTransactionCommits() {
		double before = pending();
		this.transactions.executeWithoutResult((tx) -> {
			this.outbox.enqueue("once-over", "ann@example.org", null, "2026-W48", "s", "t", null);
			assertThat(pending()).as("not before the commit").isEqualTo(before);
			tx.setRollbackOnly();
		});
		assertThat(pending()).as("a rolled-back decision queued nothing").isEqualTo(before);
		this.transactions.executeWithoutResult(
				(tx) -> this.outbox.enqueue("once-over", "ann@example.org", null, "2026-W48", "s", "t", null));
		assertThat(pending()).isEqualTo(before + 1);
	}

	private double pending() {
		return this.meters.get("fleet.mail.outbox.pending").gauge().value();
	}

	private String status(String recipient) {
		return this.messages.findAll()
			.stream()
			.filter((m) -> m.getRecipient().equals(recipient))
			.findFirst()
			.orElseThrow()
			.getStatus();
	}

	static String part(MimeMessage message, String type) throws Exception {
		MimeMultipart alternative = (MimeMultipart) message.getContent();
		for (int i = 0; i < alternative.getCount(); i++) {
			if (alternative.getBodyPart(i).isMimeType(type)) {
				return (String) alternative.getBodyPart(i).getContent();
			}
		}
		throw new AssertionError("no " + type + " part");
	}

	/**
	 * An SMTP server stand-in: Spring's sender with the transport replaced by what a test scripts, failing the way
	 * Jakarta Mail and Spring report it (a refused recipient is an "invalid address", a refused message a 5xx reply,
	 * an outage a failed connection).
	 */
	static final class ScriptedSmtp extends JavaMailSenderImpl {

		final Set<String> rejectRecipient = new CopyOnWriteArraySet<>();

		final Set<String> rejectData = new CopyOnWriteArraySet<>();

		final List<MimeMessage> sent = new CopyOnWriteArrayList<>();

		volatile boolean down;

		volatile int attempts;

		void reset() {
			this.rejectRecipient.clear();
			this.rejectData.clear();
			this.sent.clear();
			this.down = false;
			this.attempts = 0;
		}

		List<String> sentTo() {
			return this.sent.stream().map(ScriptedSmtp::to).toList();
		}

		private static String to(MimeMessage message) {
			try {
				return ((InternetAddress) message.getRecipients(Message.RecipientType.TO)[0]).getAddress();
			}
			catch (MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		protected void doSend(MimeMessage[] mimeMessages, Object[] originalMessages) {
			this.attempts++;
			if (this.down) {
				throw new MailSendException("Mail server connection failed",
						new MessagingException("Could not connect to SMTP host: 127.0.0.1, port: 25"));
			}
			Map<Object, Exception> failed = new LinkedHashMap<>();
			for (MimeMessage message : mimeMessages) {
				String to = to(message);
				if (this.rejectRecipient.contains(to)) {
					failed.put(message, new SendFailedException("Invalid Addresses",
							new SendFailedException("550 5.1.1 <" + to + ">: Recipient address rejected: User unknown"),
							new Address[0], new Address[0], new Address[] { address(to) }));
				}
				else if (this.rejectData.contains(to)) {
					failed.put(message, new SendFailedException("554 5.7.1 Message rejected as spam"));
				}
				else {
					this.sent.add(message);
				}
			}
			if (!failed.isEmpty()) {
				throw new MailSendException(failed);
			}
		}

		private static InternetAddress address(String to) {
			try {
				return new InternetAddress(to);
			}
			catch (MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
