package org.fleethealth.quarantine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import org.fleethealth.MutableClock;
import org.fleethealth.fleet.FakeFleet;
import org.fleethealth.fleet.FakeSource;
import org.fleethealth.fleet.PollService;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.pruning.ReplyService;
import org.fleethealth.source.SourceAccessDeniedException;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceException;
import org.fleethealth.source.SourceStep;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole quarantine flow against the in-memory master: a flaky host is proposed after {@code after}, approved,
 * paused (and seen paused by the next poll: state {@code paused}, reason "quarantined by fleet-health: ..."), its
 * owner mailed once with a "fixed" link that releases it on probation; a host failure on probation quarantines it
 * again at once; a maintainer's release and clean builds end the probation; a master that refuses the pause.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "fleet-health.poll.enabled=false", "fleet-health.mail.enabled=false",
				"spring.datasource.url=jdbc:h2:mem:quarantineflow", "fleet-health.public-url=http://fleet.test/",
				"fleet-health.quarantine.after=PT1H", "fleet-health.quarantine.max-share=0.5",
				"fleet-health.quarantine.probation-builds=2", "fleet-health.mail.maintainers=ops@example.org",
				"fake-fleet.master=lab",
				"fake-fleet.start=2026-11-23T10:00:00Z" })
@Import(FakeFleet.class)
@DirtiesContext
class QuarantineFlowTests {

	private static final String PASSWORD = "s3cret-maintainer";

	@DynamicPropertySource
	static void users(DynamicPropertyRegistry registry) {
		String hash = new BCryptPasswordEncoder(4).encode(PASSWORD);
		registry.add("fleet-health.security.users[0].name", () -> "maintainer");
		registry.add("fleet-health.security.users[0].password", () -> "{bcrypt}" + hash);
		registry.add("fleet-health.security.users[0].roles", () -> "MAINTAINER");
	}

	@Autowired
	FakeSource source;

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	QuarantineService quarantine;

	@Autowired
	WorkerReports reports;

	@Autowired
	ReplyService replies;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MeterRegistry meters;

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newHttpClient();

	/** Build ids go on across the tests, which share one master: its cursor only moves forward. */
	private static long nextBuild = 100;

	private static SourceWorker worker(long id, String name, long... builders) {
		Set<Long> ids = new java.util.HashSet<>();
		for (long b : builders) {
			ids.add(b);
		}
		return new SourceWorker(id, name, true, ids, name + " <" + name + "@example.org>", "host", "3.7.0", false);
	}

	/** A finished build of a worker on a builder; results 2 fail in 'git' (every failed build does: a host's). */
	private void build(long builder, long worker, int results, Instant started) {
		long id = nextBuild++;
		this.source.builds.add(new SourceBuild(id, (int) id, builder, worker, started, started.plusSeconds(60), true,
				results, "rev" + id, "done"));
	}

	/**
	 * Four workers (ids from {@code first}) on one builder (id {@code first}), the second failing in 'git' where the
	 * others pass, once an hour for six hours: flaky-host, and a quarantine proposal an hour later.
	 */
	private void onePoolOneFlaky(long first, String builder, String platform, String... names) {
		onePool(first, builder, platform, Set.of(1), names);
	}

	/** As {@link #onePoolOneFlaky}, with the workers at the given positions failing in 'git'. */
	private void onePool(long first, String builder, String platform, Set<Integer> failing, String... names) {
		List<SourceWorker> workers = new java.util.ArrayList<>();
		for (int i = 0; i < names.length; i++) {
			workers.add(worker(first + i, names[i], first));
		}
		this.source.workers = workers;
		this.source.builders = List.of(new SourceBuilder(first, builder, List.of("gcc", platform), null));
		this.source.steps = List.of(new SourceStep(0, "worker_preparation", 0), new SourceStep(1, "git", 2));
		Instant start = this.clock.instant();
		for (int i = 0; i < 6; i++) {
			Instant at = start.minus(Duration.ofHours(6 - i));
			for (int w = 0; w < names.length; w++) {
				boolean fails = failing.contains(w);
				// Failing workers half an hour apart: checkouts failing together would read as the repository's outage.
				build(first, first + w, fails ? 2 : 0, fails ? at.plusSeconds(1 + 1800L * (w / 2)) : at);
			}
		}
	}

	private WorkerReport report(String name) {
		return this.reports.worker("lab", name).orElseThrow();
	}

	private double quarantinedGauge(String worker) {
		return this.meters.get("fleet.worker.quarantined").tag("worker", worker).gauge().value();
	}

	private QuarantineView latest(String worker) {
		return this.quarantine.proposals("lab", worker).get(0);
	}

	/** Lets the clock run and polls, as the jobs would: the workers poll, then the builds poll. */
	private void poll(Duration later) {
		this.clock.advance(later);
		this.polls.pollWorkers();
		this.polls.pollBuilds();
	}

	@Test
	void proposedApprovedPausedMailedFixedOnProbationAgainAndReleased() throws Exception {
		// alice, grace and bob share the x86-64 builders (gcc is stable); carol builds arm64. bob's checkouts fail.
		this.source.workers = List.of(worker(1, "alice", 1, 2), worker(2, "bob", 1, 2), worker(3, "grace", 1, 2),
				worker(4, "carol", 3));
		this.source.builders = List.of(new SourceBuilder(1, "x86-64 gcc", List.of("gcc", "x86-64", "stable"), null),
				new SourceBuilder(2, "x86-64 clang", List.of("clang", "x86-64"), null),
				new SourceBuilder(3, "arm64 gcc", List.of("gcc", "arm64"), null));
		this.source.steps = List.of(new SourceStep(0, "worker_preparation", 0), new SourceStep(1, "git", 2));
		Instant start = this.clock.instant();
		for (int i = 0; i < 6; i++) {
			Instant at = start.minus(Duration.ofHours(6 - i));
			build(1, 1, 0, at);
			build(2, 3, 0, at);
			build(3, 4, 0, at);
			build((i % 2 == 0) ? 1 : 2, 2, 2, at);
		}
		poll(Duration.ZERO);
		assertThat(report("bob").state()).isEqualTo(WorkerState.FLAKY_HOST);
		assertThat(this.quarantine.proposals("lab", "bob")).as("not flaky-host for an hour yet").isEmpty();

		// An hour later: proposed, with the evidence, who takes its builders over, and the owner.
		poll(Duration.ofMinutes(61));
		QuarantineView proposed = latest("bob");
		assertThat(proposed.status()).isEqualTo(QuarantineStatus.PROPOSED);
		assertThat(proposed.evidence()).isEqualTo(report("bob").evidence());
		assertThat(proposed.takeover()).containsExactly("x86-64 clang: alice, grace", "x86-64 gcc: alice, grace");
		assertThat(proposed.owner()).isEqualTo("bob <bob@example.org>");
		assertThat(this.source.controls).isEmpty();
		assertThat(this.jdbc.queryForList("select subject from outbox_message where kind = 'quarantine-proposal'",
				String.class))
			.containsExactly("[fleet-health] bob on lab is proposed for quarantine");

		// The API is the maintainers': anonymous gets 401, a maintainer the queue.
		assertThat(api("GET", "/api/quarantine/proposals", false).statusCode()).isEqualTo(401);
		HttpResponse<String> queue = api("GET", "/api/quarantine/proposals?status=proposed", true);
		assertThat(queue.statusCode()).isEqualTo(200);
		assertThat(queue.body()).contains("\"worker\":\"bob\"").contains("\"status\":\"proposed\"")
			.contains("\"takeover\":[\"x86-64 clang: alice, grace\"");

		// Approved through the API: the valve lets it through, the master is asked to pause it.
		HttpResponse<String> approved = api("POST", "/api/quarantine/proposals/" + proposed.id() + "/approve", true);
		assertThat(approved.statusCode()).isEqualTo(200);
		assertThat(approved.body()).contains("\"status\":\"quarantined\"").contains("\"decidedBy\":\"maintainer\"");
		assertThat(this.source.controls).singleElement()
			.asString()
			.startsWith("pause 2 quarantined by fleet-health: proposal #" + proposed.id() + ": ");
		assertThat(api("POST", "/api/quarantine/proposals/" + proposed.id() + "/approve", true).statusCode())
			.as("decided already").isEqualTo(409);

		// The next workers poll shows it paused: state paused, with fleet-health's reason.
		poll(Duration.ofMinutes(1));
		assertThat(latest("bob").pauseConfirmedAt()).isNotNull();
		WorkerReport bob = report("bob");
		assertThat(bob.state()).isEqualTo(WorkerState.PAUSED);
		assertThat(bob.evidence().get(0)).contains("quarantined by fleet-health: proposal #" + proposed.id());
		assertThat(bob.pauseReason()).startsWith("quarantined by fleet-health: proposal #" + proposed.id() + ": ");
		assertThat(quarantinedGauge("bob")).isEqualTo(1.0);
		assertThat(quarantinedGauge("alice")).isZero();

		// The owner is mailed once: what, why, and the "fixed" link.
		List<Map<String, Object>> mails = this.jdbc
			.queryForList("select recipient, subject, text_body from outbox_message where kind = 'quarantine'");
		assertThat(mails).singleElement().satisfies((m) -> {
			assertThat(m.get("recipient")).isEqualTo("bob@example.org");
			assertThat((String) m.get("subject")).contains("bob on lab was quarantined");
		});
		String text = (String) mails.get(0).get("text_body");
		assertThat(text).contains("paused your build worker bob on lab").contains("Approved by maintainer");
		Matcher link = Pattern.compile("http://fleet\\.test/replies/(\\S+)").matcher(text);
		assertThat(link.find()).isTrue();

		// The owner says it is fixed: unpaused, on probation.
		assertThat(this.replies.redeem(link.group(1), null, null).status())
			.isEqualTo(ReplyService.LinkCheck.Status.RECORDED);
		QuarantineView released = latest("bob");
		assertThat(released.status()).isEqualTo(QuarantineStatus.PROBATION);
		assertThat(released.releasedBy()).isEqualTo("bob@example.org (owner reply)");
		assertThat(this.source.controls).last().isEqualTo("unpause 2");
		assertThat(quarantinedGauge("bob")).isZero();

		// Its first build after the release fails on the host: quarantined again at once.
		build(1, 2, 2, this.clock.instant().plusSeconds(30));
		poll(Duration.ofMinutes(2));
		List<QuarantineView> all = this.quarantine.proposals("lab", "bob");
		assertThat(all.get(1).status()).isEqualTo(QuarantineStatus.PROBATION_FAILED);
		assertThat(all.get(1).note()).matches("build 'x86-64 gcc' #\\d+ after the release was a host failure.*");
		QuarantineView again = all.get(0);
		assertThat(again.status()).isEqualTo(QuarantineStatus.QUARANTINED);
		assertThat(again.decidedBy()).isEqualTo("fleet-health (probation)");
		assertThat(this.source.controls).last().asString().startsWith("pause 2 ");

		// A maintainer releases it; two clean builds end the probation.
		assertThat(this.quarantine.release(again.id(), "maintainer").status()).isEqualTo(QuarantineStatus.PROBATION);
		assertThatThrownBy(() -> this.quarantine.release(again.id(), "maintainer"))
			.hasMessage("Proposal #" + again.id() + " is on probation, not quarantined: there is nothing to release");
		// On probation its host is taken as repaired: it read flaky-host at once on the checkouts that got it
		// quarantined, and would have been on its owner's next once-over.
		poll(Duration.ofMinutes(1));
		assertThat(report("bob").state()).as(String.join("\n", report("bob").evidence())).isEqualTo(WorkerState.HEALTHY);
		assertThat(report("bob").evidence()).anySatisfy((e) -> assertThat(e).startsWith("builds counted from "));
		build(1, 2, 0, this.clock.instant().plusSeconds(10));
		build(2, 2, 0, this.clock.instant().plusSeconds(90));
		poll(Duration.ofMinutes(3));
		assertThat(latest("bob").status()).isEqualTo(QuarantineStatus.RELEASED);
		assertThat(latest("bob").note()).startsWith("probation passed");
		// Its host is repaired: the checkouts it failed before the release are no longer held against it (a new
		// user's finding: it read flaky-host for the rest of the window, and its owner would have been asked again).
		poll(Duration.ofMinutes(1));
		assertThat(report("bob").state()).as(String.join("\n", report("bob").evidence())).isEqualTo(WorkerState.HEALTHY);
		assertThat(report("bob").evidence()).anySatisfy((e) -> assertThat(e).startsWith("builds counted from ")
			.contains("when it was released from quarantine as repaired"));

		// The history: every pause and release, and who did it.
		assertThat(this.quarantine.history("lab", "bob")).extracting((e) -> e.kind() + " by " + e.by())
			.containsSubsequence("probation-passed by fleet-health", "released by maintainer",
					"paused by fleet-health (probation)", "probation-failed by fleet-health",
					"released by bob@example.org (owner reply)", "pause-confirmed by fleet-health",
					"paused by maintainer", "approved by maintainer", "proposed by fleet-health");
		assertThat(api("GET", "/workers/lab/bob", false).body()).contains("Quarantine")
			.contains("probation-passed").contains("bob@example.org (owner reply)").doesNotContain("Never proposed");
	}

	@Test
	void aMasterThatRefusesThePauseLeavesItAsItWas() {
		onePoolOneFlaky(11, "ppc64le gcc", "ppc64le", "erin", "frank", "heidi", "ivan");
		poll(Duration.ZERO);
		poll(Duration.ofMinutes(61));
		QuarantineView proposed = latest("frank");
		this.source.controlFailure = new SourceAccessDeniedException("master 'lab' (POST ... pause) was refused (HTTP 403)");
		try {
			QuarantineView denied = this.quarantine.approve(proposed.id(), "maintainer");
			assertThat(denied.status()).isEqualTo(QuarantineStatus.NO_ACCESS);
			assertThat(denied.note()).startsWith("no write access to master 'lab', nothing was done")
				.contains("HTTP 403");
		}
		finally {
			this.source.controlFailure = null;
		}
		assertThat(this.source.workers).noneMatch(SourceWorker::paused);
		assertThatThrownBy(() -> this.quarantine.release(proposed.id(), "maintainer"))
			.isInstanceOf(QuarantineConflictException.class)
			.hasMessage("Proposal #" + proposed.id()
					+ " is not done (the master refused the pause), not quarantined: there is nothing to release");
	}

	@Test
	void aTakeoverNamesAWorkerThatIsNotHealthyWithItsState() {
		// Two of the four workers of one builder fail their checkouts: each proposal says the other would take over
		// only as the flaky host it is (a new user's finding: it read as a plain takeover).
		onePool(51, "sparc gcc", "sparc", Set.of(1, 3), "uma", "vic", "wes", "xan");
		poll(Duration.ZERO);
		poll(Duration.ofMinutes(61));
		assertThat(report("xan").state()).isEqualTo(WorkerState.FLAKY_HOST);
		assertThat(latest("vic").takeover()).containsExactly("sparc gcc: uma, wes, xan (flaky-host)");
	}

	@Test
	void aPauseTheWorkersListDoesNotShowIsNotedOnTheProposal() {
		onePoolOneFlaky(31, "riscv gcc", "riscv", "oli", "pat", "quin", "rob");
		poll(Duration.ZERO);
		poll(Duration.ofMinutes(61));
		this.source.ignoreControls = true;
		try {
			QuarantineView q = this.quarantine.approve(latest("pat").id(), "maintainer");
			assertThat(q.status()).isEqualTo(QuarantineStatus.QUARANTINED);
			poll(Duration.ofMinutes(1));
			assertThat(latest("pat").pauseConfirmedAt()).isNull();
			assertThat(latest("pat").note()).isNull();
			poll(Duration.ofMinutes(15));
			assertThat(latest("pat").note()).contains("but its workers list does not show the worker paused yet");
		}
		finally {
			this.source.ignoreControls = false;
		}
	}

	@Test
	void noProposalWhileTheMasterDoesNotAnswerOrItsWorkersMayStillBeComingBack() {
		onePoolOneFlaky(41, "arm gcc", "arm", "oak", "pine", "elm", "ash");
		poll(Duration.ZERO);
		poll(Duration.ofMinutes(58));
		assertThat(report("pine").state()).isEqualTo(WorkerState.FLAKY_HOST);
		assertThat(this.quarantine.proposals("lab", "pine")).isEmpty();
		// Flaky-host for an hour now, but its master does not answer: who would take over cannot be told.
		this.source.failure = new SourceException("Connection refused");
		try {
			poll(Duration.ofMinutes(3));
			assertThat(report("pine").state()).isEqualTo(WorkerState.FLAKY_HOST);
			assertThat(this.quarantine.proposals("lab", "pine")).isEmpty();
		}
		finally {
			this.source.failure = null;
		}
		// It answers again; its workers may take restart-grace to come back.
		poll(Duration.ofMinutes(1));
		assertThat(this.quarantine.proposals("lab", "pine")).isEmpty();
		poll(Duration.ofMinutes(6));
		assertThat(this.quarantine.proposals("lab", "pine")).singleElement()
			.satisfies((q) -> assertThat(String.join("; ", q.takeover())).contains("oak", "elm", "ash"));
	}

	@Test
	void aProposalWaitsThroughAMasterOutage() {
		onePoolOneFlaky(51, "mips gcc", "mips", "fir", "yew", "bay", "box");
		poll(Duration.ZERO);
		poll(Duration.ofMinutes(61));
		QuarantineView proposed = latest("yew");
		assertThat(proposed.status()).isEqualTo(QuarantineStatus.PROPOSED);
		// The master is silent past stale-after: every worker is unknown, which is no recovery.
		this.source.failure = new SourceException("Connection refused");
		try {
			poll(Duration.ofMinutes(6));
			poll(Duration.ofMinutes(6));
			assertThat(report("yew").state()).isEqualTo(WorkerState.UNKNOWN);
		}
		finally {
			this.source.failure = null;
		}
		// Back, and past restart-grace (which the tests after this one would otherwise start in).
		poll(Duration.ofMinutes(1));
		poll(Duration.ofMinutes(6));
		assertThat(this.quarantine.proposals("lab", "yew")).singleElement().satisfies((q) -> {
			assertThat(q.id()).isEqualTo(proposed.id());
			assertThat(q.status()).isEqualTo(QuarantineStatus.PROPOSED);
		});
	}

	@Test
	void aProposalTheValveWouldRefuseSaysSo() {
		// zed alone builds the stable riscv builder; four others build another one. zed's checkouts fail.
		this.source.workers = List.of(worker(61, "zed", 61), worker(62, "yak", 62), worker(63, "xia", 62),
				worker(64, "wu", 62), worker(65, "vic", 62));
		this.source.builders = List.of(new SourceBuilder(61, "riscv gcc", List.of("gcc", "riscv", "stable"), null),
				new SourceBuilder(62, "s390x gcc", List.of("gcc", "s390x"), null));
		this.source.steps = List.of(new SourceStep(0, "worker_preparation", 0), new SourceStep(1, "git", 2));
		Instant start = this.clock.instant();
		for (int i = 0; i < 6; i++) {
			Instant at = start.minus(Duration.ofHours(6 - i));
			build(61, 61, 2, at.plusSeconds(5));
			for (long w = 62; w <= 65; w++) {
				build(62, w, 0, at);
			}
		}
		poll(Duration.ZERO);
		poll(Duration.ofMinutes(61));
		assertThat(report("zed").state()).as(report("zed").evidence().toString()).isEqualTo(WorkerState.FLAKY_HOST);
		QuarantineView proposed = latest("zed");
		assertThat(proposed.status()).isEqualTo(QuarantineStatus.PROPOSED);
		// A maintainer would approve it only to see it refused: the proposal says so beside the Approve button.
		assertThat(proposed.note()).startsWith("as proposed, the safety valve would refuse it (stable-builder):")
			.endsWith("; approving asks it again then");
	}

	@Test
	void aRejectionHoldsWhileItStaysFlakyHost() {
		onePoolOneFlaky(21, "s390x gcc", "s390x", "kim", "lee", "max", "ned");
		poll(Duration.ZERO);
		poll(Duration.ofMinutes(61));
		QuarantineView proposed = latest("lee");
		assertThat(this.quarantine.reject(proposed.id(), "maintainer").status()).isEqualTo(QuarantineStatus.REJECTED);
		assertThatThrownBy(() -> this.quarantine.approve(proposed.id(), "maintainer"))
			.isInstanceOf(QuarantineConflictException.class)
			.hasMessage("Proposal #" + proposed.id() + " is rejected: it is not waiting for a decision");
		poll(Duration.ofHours(3));
		assertThat(this.quarantine.proposals("lab", "lee")).as("still the same flaky-host spell").hasSize(1);
	}

	private HttpResponse<String> api(String method, String path, boolean maintainer) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (maintainer) {
			request.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString(("maintainer:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
