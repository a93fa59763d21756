package org.fleethealth.mail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;
import org.fleethealth.pruning.ProposalKind;
import org.fleethealth.pruning.ProposalStatus;
import org.fleethealth.pruning.ProposalView;
import org.fleethealth.quarantine.QuarantineStatus;
import org.fleethealth.quarantine.QuarantineView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mail templates against golden files in {@code src/test/resources/mail/golden/}. After an intended
 * change, run with {@code -Dgolden.update=true} and review the diff of the golden files.
 */
class MailTemplatesTests {

	private static final Path GOLDEN = Path.of("src/test/resources/mail/golden");

	private final MailRenderer renderer = new MailRenderer();

	private static MailModel.Links links(String worker) {
		String base = "https://fleet.example.org/replies/";
		return new MailModel.Links(base + worker + "-back", base + worker + "-inv", base + worker + "-retire");
	}

	static Map<String, Object> onceOverModel() {
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("ownerName", "Bob Builder");
		model.put("period", "2026-W48");
		model.put("workers", List.of(
				new MailModel.WorkerItem("python", "bob-freebsd", "flaky-host", "2026-11-20T09:00:00Z", "7d 3h",
						List.of("6 of 11 builds in the last 7d were host failures (0.55 >= 0.20)",
								"4 builds failed in infrastructure step 'git' ('gcc bob-freebsd' #12, 'gcc bob-freebsd' #14)"),
						"Its failures look like the host's, not the code's. Please give the host a quick once-over.",
						"https://fleet.example.org/workers/python/bob-freebsd", "investigating on 2026-11-21T10:00:00Z",
						List.of(), links("bob-freebsd")),
				new MailModel.WorkerItem("python", "bob-ppc64", "offline", "2026-11-01T00:00:00Z", "26d 12h",
						List.of("not connected since 2026-11-01T00:00:00Z (26d 12h)"),
						"It is down. Why, and when (or if) can it be expected back?",
						"https://fleet.example.org/workers/python/bob-ppc64", null,
						List.of("hide-builders (proposed)"), links("bob-ppc64"))));
		model.put("healthy", List.of("bob-debian (python)"));
		model.put("publicUrl", "https://fleet.example.org/");
		model.put("linkTtl", "14d");
		return model;
	}

	@Test
	void onceOverDigest() throws IOException {
		MailRenderer.Rendered mail = this.renderer.render("once-over", onceOverModel());
		assertGolden("once-over.txt", mail.text());
		assertGolden("once-over.html", mail.html());
		assertThat(mail.text()).contains("https://fleet.example.org/replies/bob-ppc64-retire");
		assertThat(mail.html()).contains("href=\"https://fleet.example.org/replies/bob-ppc64-retire\"");
	}

	@Test
	void allGreenDigest() throws IOException {
		Map<String, Object> model = onceOverModel();
		model.put("workers", List.of());
		model.put("allHealthy", true);
		MailRenderer.Rendered mail = this.renderer.render("once-over", model);
		assertGolden("once-over-all-green.txt", mail.text());
	}

	@Test
	void aDigestOfAPausedWorkerAsksNothingAndDoesNotCallItHealthy() {
		Map<String, Object> model = onceOverModel();
		model.put("workers", List.of());
		model.put("allHealthy", false);
		model.put("healthy", List.of("alice-debian (python, paused)"));
		MailRenderer.Rendered mail = this.renderer.render("once-over", model);
		assertThat(mail.text()).contains("none of them needs anything from you. Thank you!")
			.doesNotContain("healthy");
		assertThat(mail.html()).contains("none of them needs anything from you");
	}

	/**
	 * A running worker whose only finding is an old buildbot-worker is asked to upgrade: an owner can say they are on
	 * it or retire it, but "it will be back by a date" would say it is away (a trial met that link on a healthy one).
	 */
	@Test
	void aWorkerThatRunsIsNotOfferedBackBy() {
		WorkerReport drifting = report(WorkerState.HEALTHY);
		assertThat(MailModel.asksBackBy(drifting)).isFalse();
		assertThat(MailModel.asksBackBy(report(WorkerState.OFFLINE))).isTrue();
		assertThat(MailModel.asksBackBy(report(WorkerState.FLAKY_HOST))).isTrue();
		assertThat(MailModel.asksBackBy(report(WorkerState.FAILING_BUILD))).as("building: not away").isFalse();

		String base = "https://fleet.example.org/replies/";
		Map<String, Object> model = onceOverModel();
		model.put("workers", List.of(new MailModel.WorkerItem("python", "bob-debian", "healthy", "2026-11-20T09:00:00Z",
				"7d 3h", List.of("buildbot-worker 2.10.0 is older than most of the fleet's (3.7.0)"), "Please upgrade buildbot-worker.",
				"https://fleet.example.org/workers/python/bob-debian", null, List.of(),
				new MailModel.Links(null, base + "bob-debian-inv", base + "bob-debian-retire"))));
		MailRenderer.Rendered mail = this.renderer.render("once-over", model);
		assertThat(mail.text()).contains("Please upgrade buildbot-worker.", "I am investigating:         " + base
				+ "bob-debian-inv", "Retire it:                  " + base + "bob-debian-retire")
			.doesNotContain("back by");
		assertThat(mail.html()).contains("href=\"" + base + "bob-debian-inv\"").doesNotContain("back by");
	}

	/** A worker whose removal a maintainer approved: its owner is told so, not asked why it is down. */
	@Test
	void anOwnerOfAWorkerWhoseRemovalIsApprovedIsToldSo() {
		Instant at = Instant.parse("2026-11-25T10:00:00Z");
		ProposalView approved = new ProposalView(8, "python", "bob-debian", ProposalKind.REMOVE_WORKER,
				ProposalStatus.APPROVED, "offline for 31d", List.of(), "Bob", "bob@example.org", at, at, at, "jane", null);
		ProposalView hiding = new ProposalView(7, "python", "bob-debian", ProposalKind.HIDE_BUILDERS,
				ProposalStatus.PROPOSED, "offline for 8d", List.of(), "Bob", "bob@example.org", at, at, null, null, null);
		assertThat(OnceOverService.ask(report(WorkerState.OFFLINE), List.of(hiding, approved)))
			.isEqualTo("Its removal was approved (by jane on 2026-11-25T10:00:00Z): it is to be taken out of the"
					+ " master's configuration. If it should stay, answer below: the maintainers are told.");
		assertThat(OnceOverService.ask(report(WorkerState.OFFLINE), List.of(hiding)))
			.isEqualTo("It is down. Why, and when (or if) can it be expected back?");

		// Nothing is left to retire: no such link.
		String base = "https://fleet.example.org/replies/";
		Map<String, Object> model = onceOverModel();
		model.put("workers", List.of(new MailModel.WorkerItem("python", "bob-debian", "offline", "2026-11-20T09:00:00Z",
				"7d 3h", List.of("not connected since 2026-11-20T09:00:00Z (7d 3h)"),
				OnceOverService.ask(report(WorkerState.OFFLINE), List.of(approved)),
				"https://fleet.example.org/workers/python/bob-debian", null, List.of("remove-worker (approved)"),
				new MailModel.Links(base + "bob-debian-back", base + "bob-debian-inv", null))));
		MailRenderer.Rendered mail = this.renderer.render("once-over", model);
		assertThat(mail.text()).contains("Proposal: remove-worker (approved)", "It will be back by a date:",
				"I am investigating:").doesNotContain("Retire it");
		assertThat(mail.html()).contains("I am investigating</a></p>").doesNotContain("Retire it");
	}

	private static WorkerReport report(WorkerState state) {
		return new WorkerReport("python", "bob-debian", state, Instant.parse("2026-11-20T09:00:00Z"),
				new WorkerReport.OwnerView("Bob", "bob@example.org"), null, true, false, null, null, Set.of(),
				List.of(), new WorkerReport.Counts(0, 0, 0, 0, 0, 0), Instant.parse("2026-11-27T12:00:00Z"), null,
				null, null);
	}

	@Test
	void proposalSummaryAndNotice() throws IOException {
		ProposalView p = new ProposalView(7, "python", "bob-ppc64", ProposalKind.REMOVE_WORKER, ProposalStatus.PROPOSED,
				"offline for 31d (since 2026-10-27T12:00:00Z; remove-after 30d)", List.of("gcc bob-ppc64", "clang bob-ppc64"),
				"Bob Builder", "bob@example.org", Instant.parse("2026-11-27T12:00:00Z"),
				Instant.parse("2026-11-27T12:00:00Z"), null, null, null);
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("master", "python");
		summary.put("heading", ProposalsSummary.heading(List.of(p)));
		summary.put("proposals", List.of(p));
		summary.put("twins", Map.of());
		summary.put("publicUrl", "https://fleet.example.org/");
		MailRenderer.Rendered mail = this.renderer.render("proposals", summary);
		assertGolden("proposals.txt", mail.text());
		assertGolden("proposals.html", mail.html());
		// The same worker waiting on LLVM's staging master too: a decision on one is taken on both.
		summary.put("twins", Map.of(7L, "also waiting on staging (#9): the same worker; a decision on one is taken on both"));
		MailRenderer.Rendered twinned = this.renderer.render("proposals", summary);
		assertThat(twinned.text()).contains("   builders: gcc bob-ppc64, clang bob-ppc64\n"
				+ "   also waiting on staging (#9): the same worker; a decision on one is taken on both\n");
		assertThat(twinned.html()).contains("clang bob-ppc64</span></span><span><br><span>also waiting on staging (#9): the same worker;");

		Map<String, Object> notice = new LinkedHashMap<>();
		notice.put("ownerName", "Bob Builder");
		notice.put("proposal", p);
		notice.put("action", "removal");
		notice.put("links", links("bob-ppc64"));
		notice.put("linkTtl", "14d");
		notice.put("publicUrl", "https://fleet.example.org/");
		MailRenderer.Rendered n = this.renderer.render("proposal-notice", notice);
		assertGolden("proposal-notice.txt", n.text());
		assertGolden("proposal-notice.html", n.html());
		// A flaky host may well be connected: its owner is not asked whether it is coming back (a trial).
		Map<String, Object> flakyNotice = new LinkedHashMap<>(notice);
		flakyNotice.put("proposal", new ProposalView(8, "python", "bob-ppc64", ProposalKind.REMOVE_WORKER,
				ProposalStatus.PROPOSED, "flaky host for 28d (since 2026-10-30T12:00:00Z; flaky-remove-after 28d)",
				List.of("gcc bob-ppc64"), "Bob Builder", "bob@example.org", Instant.parse("2026-11-27T12:00:00Z"),
				Instant.parse("2026-11-27T12:00:00Z"), null, null, null));
		MailRenderer.Rendered flaky = this.renderer.render("proposal-notice", flakyNotice);
		assertThat(flaky.text()).contains("unless you tell us when its host will work again:")
			.doesNotContain("coming back");
		assertThat(flaky.html()).contains("unless you tell us when its host will work again:");

		// The same worker on LLVM's staging master as well: the owner's reply counts there too.
		notice.put("alsoOn", "staging");
		MailRenderer.Rendered shared = this.renderer.render("proposal-notice", notice);
		assertGolden("proposal-notice-shared.txt", shared.text());
		assertGolden("proposal-notice-shared.html", shared.html());
	}

	@Test
	void quarantineNotice() throws IOException {
		Instant at = Instant.parse("2026-11-27T12:00:00Z");
		QuarantineView q = new QuarantineView(3, "python", "bob-freebsd", QuarantineStatus.QUARANTINED,
				Instant.parse("2026-11-27T04:00:00Z"),
				List.of("'x86-64 gcc': 4 of 9 builds failed <here> while its pool mates passed the same revisions"),
				List.of("x86-64 gcc: alice-debian, grace-debian"), "Bob Builder <bob@example.org>", null, null,
				"quarantined by fleet-health: proposal #3: ...", at, at, "jane", at, at, null, null, null);
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("ownerName", "Bob Builder");
		model.put("q", q);
		model.put("fixed", "https://fleet.example.org/replies/bob-fixed");
		model.put("workerUrl", "https://fleet.example.org/workers/python/bob-freebsd");
		model.put("linkTtl", "14d");
		model.put("publicUrl", "https://fleet.example.org/");
		MailRenderer.Rendered mail = this.renderer.render("quarantine-notice", model);
		assertGolden("quarantine-notice.txt", mail.text());
		assertGolden("quarantine-notice.html", mail.html());
		assertThat(mail.html()).contains("&lt;here&gt;").contains("href=\"https://fleet.example.org/replies/bob-fixed\"");

		Map<String, Object> proposal = new LinkedHashMap<>();
		proposal.put("q", q);
		proposal.put("publicUrl", "https://fleet.example.org/");
		MailRenderer.Rendered toMaintainers = this.renderer.render("quarantine-proposal", proposal);
		assertGolden("quarantine-proposal.txt", toMaintainers.text());
		assertGolden("quarantine-proposal.html", toMaintainers.html());
	}

	@Test
	void maintainersSummary() throws IOException {
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("period", "2026-W48");
		model.put("workers", List.of(
				new MaintainersSummary.Orphan("python", "ghost-ubuntu", "offline", "2026-11-20T09:00:00Z (7d 3h)",
						"not connected since 2026-11-20T09:00:00Z (7d 3h)",
						List.of("placeholder address, never mailed: admin@youraddress.invalid"),
						"https://fleet.example.org/workers/python/ghost-ubuntu"),
				new MaintainersSummary.Orphan("python", "url-macos", "flaky-host", "2026-11-26T09:00:00Z (1d 3h)",
						"4 of 6 builds in the last 7d were host failures (0.67 >= 0.20)",
						List.of("info/admin has no address to mail: \"see https://wiki.example.org/buildbot <b>owners</b>\""),
						"https://fleet.example.org/workers/python/url-macos")));
		model.put("moreWorkers", null);
		model.put("undelivered", List.of(new MaintainersSummary.Undelivered("once-over", "gone@example.org", "2026-W47",
				"SendFailedException: 550 5.1.1 <gone@example.org>: Recipient address rejected")));
		model.put("publicUrl", "https://fleet.example.org/");
		MailRenderer.Rendered mail = this.renderer.render("maintainers-summary", model);
		assertGolden("maintainers-summary.txt", mail.text());
		assertGolden("maintainers-summary.html", mail.html());
		assertThat(mail.html()).contains("&lt;b&gt;owners&lt;/b&gt;").doesNotContain("<b>owners</b>");
	}

	private static void assertGolden(String name, String actual) throws IOException {
		Path file = GOLDEN.resolve(name);
		if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
			Files.createDirectories(GOLDEN);
			Files.writeString(file, actual, StandardCharsets.UTF_8);
			assertThat(Boolean.getBoolean("golden.update")).as("golden file " + file + " was missing and is now written; review and commit it").isTrue();
		}
		assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
	}

}
