package org.fleethealth.mail;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fleethealth.MutableClock;
import org.fleethealth.SyncEvents;
import org.fleethealth.fleet.FakeSource;
import org.fleethealth.fleet.PollService;
import org.fleethealth.pruning.ProposalKind;
import org.fleethealth.pruning.ProposalStatus;
import org.fleethealth.pruning.ProposalView;
import org.fleethealth.pruning.PruningService;
import org.fleethealth.pruning.ReplyService;
import org.fleethealth.source.FleetSources;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpStatus;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

/**
 * LLVM's shape: a production and a staging master load one configuration, so a worker that is down everywhere is
 * proposed for hiding on both. Its owner is mailed once, and a reply to that mail counts on both masters (a fresh
 * user's trial on the two-master lab: two notices, and a "back by" that snoozed only one of the proposals).
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "fleet-health.mail.enabled=false",
		"spring.datasource.url=jdbc:h2:mem:shared-proposals", "fleet-health.public-url=http://fleet.test/",
		"fleet-health.mail.maintainers=Ops Team <ops@example.org>" })
@Import(SharedWorkerProposalsTests.TwoMasters.class)
@AutoConfigureMockMvc
@DirtiesContext
class SharedWorkerProposalsTests {

	static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

	@Autowired
	MutableClock clock;

	@Autowired
	PollService polls;

	@Autowired
	PruningService pruning;

	@Autowired
	ReplyService replies;

	@Autowired
	OutboxReader outbox;

	@Autowired
	OnceOverService digest;

	@Autowired
	MockMvcTester mvc;

	@Autowired
	TwoMasters masters;

	@Test
	void aWorkerDownOnBothMastersIsNoticedOnceAndItsOwnersReplyCountsOnBoth() {
		this.masters.production.builders = List.of(new SourceBuilder(1, "gcc alice", List.of("gcc"), null));
		this.masters.staging.builders = List.of(new SourceBuilder(5, "gcc alice (staging)", List.of("gcc"), null));
		this.masters.production.workers = List.of(alice(1, true, 1L), carol(2, true, 1L));
		this.masters.staging.workers = List.of(alice(7, false, 5L), carol(8, false, 5L));
		poll();
		// Both go down for good, and stay down on staging too.
		this.clock.advance(Duration.ofMinutes(1));
		this.masters.production.workers = List.of(alice(1, false, 1L), carol(2, false, 1L));
		for (int i = 0; i < 8 * 4; i++) {
			this.clock.advance(Duration.ofHours(6));
			poll();
		}

		for (String worker : List.of("alice", "carol")) {
			List<ProposalView> hides = hideProposals(worker);
			assertThat(hides).as(worker + "'s proposals").extracting(ProposalView::master)
				.containsExactlyInAnyOrder("production", "staging");
			assertThat(hides).extracting(ProposalView::status).containsOnly(ProposalStatus.PROPOSED);
		}
		List<OutboxView> notices = notices();
		assertThat(notices).as("one notice per worker, not one per master").extracting(OutboxView::to)
			.containsExactlyInAnyOrder("Alice <alice@example.org>", "Carol <carol@example.org>");
		OutboxView toAlice = notices.stream().filter((n) -> n.to().startsWith("Alice")).findFirst().orElseThrow();
		String otherMaster = toAlice.text().contains("on production has been") ? "staging" : "production";
		assertThat(toAlice.text()).contains("The same worker is configured on " + otherMaster
				+ ": your reply counts there too");
		assertThat(this.outbox.newest(null, 100)).as("the maintainers hear of each master's proposals")
			.filteredOn((m) -> m.kind().equals(ProposalMailer.SUMMARY))
			.extracting(OutboxView::subject)
			.containsExactlyInAnyOrder("[fleet-health] 2 new proposals to hide builders on production",
					"[fleet-health] 2 new proposals to hide builders on staging");
		// The summary of the master whose proposals came second names the twins a decision takes as well.
		List<String> summaries = this.outbox.newest(null, 100)
			.stream()
			.filter((m) -> m.kind().equals(ProposalMailer.SUMMARY))
			.map(OutboxView::text)
			.toList();
		assertThat(summaries).allSatisfy((text) -> assertThat(text).startsWith("New proposals to hide builders on master"));
		String second = summaries.stream().filter((t) -> t.contains("also waiting on")).findFirst().orElseThrow();
		String first = second.contains("on master staging") ? "production" : "staging";
		for (String worker : List.of("alice", "carol")) {
			long twin = hideProposals(worker).stream().filter((h) -> h.master().equals(first)).findFirst().orElseThrow().id();
			assertThat(second).contains("also waiting on " + first + " (#" + twin
					+ "): the same worker; a decision on one is taken on both");
		}

		// The overview counts a row per master, and says so; one master's view counts that master's.
		assertThat(this.mvc.get().uri("/?state=all")).hasStatusOk()
			.bodyText()
			.contains("4 of 4 workers shown, on 2 masters (a worker configured on several is a row on each)");
		assertThat(this.mvc.get().uri("/?state=all&master=staging")).hasStatusOk()
			.bodyText()
			.contains("2 of 2 workers shown<");

		// Each master's page of the worker names and links the other.
		assertThat(this.mvc.get().uri("/workers/production/alice")).hasStatusOk()
			.bodyText()
			.contains("the same worker is configured on", "href=\"/workers/staging/alice\"",
					"(by this master; see its page on the others)");

		// Her confirmation page says where else her answer counts.
		assertThat(this.mvc.get().uri("/replies/" + token(toAlice.text(), "back by a date:"))).hasStatusOk()
			.bodyText()
			.contains("The same worker is configured on", otherMaster, "your answer counts there too")
			.as("an owner's page, without the maintainers' navigation")
			.doesNotContain("href=\"/pruning\"", "Log in", "/actuator/prometheus");

		// Alice says it is back in five days: both of her proposals wait, and carol's do not.
		LocalDate backBy = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC).plusDays(5);
		ReplyService.LinkCheck recorded = this.replies.redeem(token(toAlice.text(), "back by a date:"), backBy, null);
		assertThat(recorded.status()).isEqualTo(ReplyService.LinkCheck.Status.RECORDED);
		assertThat(recorded.alsoOn()).as("the pages say where else it counts").containsExactly(otherMaster);
		assertThat(hideProposals("alice")).extracting(ProposalView::status).containsOnly(ProposalStatus.SNOOZED);
		assertThat(hideProposals("carol")).extracting(ProposalView::status).containsOnly(ProposalStatus.PROPOSED);

		// Later rounds keep both waiting, and mail her nothing more.
		for (int i = 0; i < 4; i++) {
			this.clock.advance(Duration.ofHours(6));
			poll();
		}
		assertThat(hideProposals("alice")).extracting(ProposalView::status).containsOnly(ProposalStatus.SNOOZED);
		assertThat(notices()).hasSize(2);

		// Her reply shows on both masters, whichever master's link she used.
		for (String master : List.of("production", "staging")) {
			assertThat(this.replies.replies(master, "alice")).as("alice's replies on " + master)
				.singleElement()
				.satisfies((r) -> assertThat(r.backBy()).isEqualTo(backBy));
			assertThat(this.replies.latestReplies(master)).containsKey("alice");
		}

		// Carol retires hers: its removal is approved on both masters, and it replaces the hiding at once.
		OutboxView toCarol = notices.stream().filter((n) -> n.to().startsWith("Carol")).findFirst().orElseThrow();
		this.replies.redeem(token(toCarol.text(), "Retire it:"), null, null);
		for (String master : List.of("production", "staging")) {
			assertThat(this.pruning.proposals(master, "carol")).as("carol on " + master)
				.anySatisfy((p) -> {
					assertThat(p.kind()).isEqualTo(ProposalKind.REMOVE_WORKER);
					assertThat(p.status()).isEqualTo(ProposalStatus.APPROVED);
					assertThat(p.decidedBy()).isEqualTo("carol@example.org (owner reply)");
				});
		}
		assertThat(hideProposals("carol")).extracting(ProposalView::status).containsOnly(ProposalStatus.WITHDRAWN);

		// The weekly once-over: alice once, for both masters; carol, retiring everywhere, is asked nothing.
		this.digest.run();
		List<OutboxView> digests = this.outbox.newest(null, 100)
			.stream()
			.filter((m) -> m.kind().equals(OnceOverService.KIND))
			.toList();
		assertThat(digests).extracting(OutboxView::to).containsExactly("Alice <alice@example.org>");
		OutboxView toAliceWeekly = digests.get(0);
		assertThat(toAliceWeekly.subject()).contains("1 of your 1 build worker ");
		assertThat(toAliceWeekly.text()).containsOnlyOnce("== alice on ")
			.contains("(also configured on ")
			.containsOnlyOnce("It will be back by a date:");

		// Then carol says it will be back after all. Nothing waits to be snoozed: her page says the removal stands
		// approved and that the maintainers hear of it, and they do (a trial's owner was thanked and nobody heard).
		String carolBackBy = token(toCarol.text(), "back by a date:");
		assertThat(this.mvc.get().uri("/replies/" + carolBackBy)).hasStatusOk()
			.bodyText()
			.contains("Its removal was approved already, by", "carol@example.org (owner reply)",
					"your answer goes to the maintainers, who decide whether it stays")
			.doesNotContain("Removal proposals for it wait until then.");
		LocalDate carolBack = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC).plusDays(3);
		assertThat(this.replies.redeem(carolBackBy, carolBack, "new disk arrived").approvedRemoval()).isNotNull();
		assertThat(this.outbox.newest(null, 100)).filteredOn((m) -> m.kind().equals(ProposalMailer.REMOVAL_REPLY))
			.singleElement()
			.satisfies((m) -> {
				assertThat(m.to()).isEqualTo("Ops Team <ops@example.org>");
				assertThat(m.subject()).isEqualTo("[fleet-health] carol's owner answered after its removal was approved");
				assertThat(m.text()).contains("carol@example.org (owner reply) answered on",
						": it will be back by " + carolBack + ".", "Their note: new disk arrived",
						"Its removal was approved already, by carol@example.org (owner reply)",
						"ask its owner whether it should stay");
				assertThat(m.text()).as("each master's approved removal, not one of them")
					.containsPattern("\\(proposal #\\d+ on (production|staging), #\\d+ on (production|staging)\\)");
			});

		// A maintainer rejects alice's hiding on production. The two masters load one configuration, so one decision
		// takes both: the queue says so beside the proposal, and the flash after it (the trial approved on one master
		// and found the other's proposal still waiting).
		ProposalView onProduction = hideProposal("alice", "production");
		ProposalView onStaging = hideProposal("alice", "staging");
		assertThat(this.mvc.get().uri("/pruning").with(user("jane").roles("MAINTAINER"))).hasStatusOk()
			.bodyText()
			.contains("Also waiting on", "staging (#" + onStaging.id() + ")", "production (#" + onProduction.id() + ")",
					"href=\"#proposal-" + onStaging.id() + "\"", "id=\"proposal-" + onStaging.id() + "\"",
					"a decision here is taken there too")
			.as("the day her snooze runs through, as she gave it, not the instant after it")
			.contains(" until " + backBy + " (end of day, UTC), by alice@example.org (owner reply)");
		// On the API, the answer names the twin it decided as well.
		assertThat(this.mvc.post().uri("/api/pruning/proposals/" + onStaging.id() + "/snooze")
			.param("until", backBy.plusDays(2).toString())
			.with(user("jane").roles("MAINTAINER"))).hasStatusOk()
			.bodyJson()
			.satisfies((json) -> assertThat(json).extractingPath("$.id").isEqualTo((int) onStaging.id()))
			.satisfies((json) -> assertThat(json).extractingPath("$.alsoDecided").isEqualTo(List.of((int) onProduction.id())));
		assertThat(hideProposals("alice")).allSatisfy((p) -> assertThat(p.snoozedThrough()).isEqualTo(backBy.plusDays(2)));
		assertThat(this.mvc.post().uri("/pruning/" + onProduction.id() + "/reject").with(user("jane").roles("MAINTAINER"))
			.with(csrf())).hasStatus(HttpStatus.FOUND)
			.flash()
			.containsEntry("done", "Proposal #" + onProduction.id() + " (hide-builders alice on production) rejected, and #"
					+ onStaging.id() + " on staging, the same worker.");
		assertThat(hideProposals("alice")).hasSize(2).allSatisfy((p) -> {
			assertThat(p.status()).isEqualTo(ProposalStatus.REJECTED);
			assertThat(p.decidedBy()).isEqualTo("jane");
		});
		assertThat(this.pruning.twins(onProduction.id())).as("nothing left waiting").isEmpty();

		// Carol's approved removal is taken back on one master's page (she said it would be back): withdrawn on both,
		// in the maintainer's name, and off the export.
		ProposalView carolsRemoval = this.pruning.proposals("production", "carol").stream()
			.filter((p) -> p.kind() == ProposalKind.REMOVE_WORKER)
			.findFirst()
			.orElseThrow();
		assertThat(this.mvc.post().uri("/pruning/" + carolsRemoval.id() + "/withdraw")
			.with(user("jane").roles("MAINTAINER"))
			.with(csrf())).hasStatus(HttpStatus.FOUND)
			.flash()
			.hasEntrySatisfying("done", (done) -> assertThat((String) done).startsWith("Proposal #" + carolsRemoval.id()
					+ " (remove-worker carol on production) withdrawn: it is not to be carried out, and #")
				.endsWith(" on staging, the same worker."));
		for (String master : List.of("production", "staging")) {
			assertThat(this.pruning.proposals(master, "carol")).as("carol on " + master)
				.filteredOn((p) -> p.kind() == ProposalKind.REMOVE_WORKER)
				.singleElement()
				.satisfies((p) -> {
					assertThat(p.status()).isEqualTo(ProposalStatus.WITHDRAWN);
					assertThat(p.decidedBy()).isEqualTo("jane");
				});
		}
		assertThat(this.mvc.get().uri("/api/pruning/export?format=text")).hasStatusOk()
			.bodyText()
			.isEqualTo("# No approved removals.\n");
		assertThat(this.mvc.get().uri("/pruning").with(user("jane").roles("MAINTAINER"))).hasStatusOk()
			.bodyText()
			.as("withdrawn by a maintainer, not by fleet-health")
			.contains("<td>jane</td>");
	}

	private ProposalView hideProposal(String worker, String master) {
		return hideProposals(worker).stream().filter((p) -> p.master().equals(master)).findFirst().orElseThrow();
	}

	private List<ProposalView> hideProposals(String worker) {
		return List.of("production", "staging")
			.stream()
			.flatMap((m) -> this.pruning.proposals(m, worker).stream())
			.filter((p) -> p.kind() == ProposalKind.HIDE_BUILDERS)
			.toList();
	}

	private List<OutboxView> notices() {
		return this.outbox.newest(null, 100).stream().filter((m) -> m.kind().equals(ProposalMailer.NOTICE)).toList();
	}

	private static String token(String text, String label) {
		Matcher m = Pattern.compile(Pattern.quote(label) + "\\s+http://fleet\\.test/replies/(\\S+)").matcher(text);
		assertThat(m.find()).as("a '" + label + "' link in:\n" + text).isTrue();
		return m.group(1);
	}

	private void poll() {
		this.polls.pollWorkers();
		this.polls.pollBuilds();
	}

	private static SourceWorker alice(long id, boolean connected, long builder) {
		return new SourceWorker(id, "alice", connected, Set.of(builder), "Alice <alice@example.org>", "host", "3.7.0",
				false);
	}

	private static SourceWorker carol(long id, boolean connected, long builder) {
		return new SourceWorker(id, "carol", connected, Set.of(builder), "Carol <carol@example.org>", "host", "3.7.0",
				false);
	}

	/** Two in-memory masters, production and staging, and a clock the test moves. */
	@TestConfiguration(proxyBeanMethods = false)
	@Import(SyncEvents.class)
	static class TwoMasters {

		final FakeSource production = new FakeSource("production");

		final FakeSource staging = new FakeSource("staging");

		@Bean
		FleetSources twoSources() {
			return () -> List.of(this.production, this.staging);
		}

		@Bean
		@Primary
		MutableClock testClock() {
			return new MutableClock(START);
		}

	}

}
