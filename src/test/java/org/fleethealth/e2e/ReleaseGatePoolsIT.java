package org.fleethealth.e2e;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The release gate per branch on a real Buildbot 3.7 fleet with two branch tags ({@code scripts/lab up --layout
 * pools}: builders of {@code main} tagged {@code 3.x}, of {@code 3.14} tagged {@code 3.14}; {@code x86-64 gcc} and
 * {@code x86-64 clang} stable tier-1/tier-2 on the pool alice, grace, bob; {@code ppc64le gcc} stable tier-2 on
 * erin, frank). bob's host fails the tests his pool mates pass: his failure on a stable builder is a {@code host}
 * concern, never a blocker. A code break committed to {@code 3.14} only blocks {@code 3.14} and not {@code 3.x}, and
 * {@code fleet_release_gate{branch}} follows; the fix makes {@code 3.14} go again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseGatePoolsIT extends HostOrBuildScenario {

	private static final Pattern GATE_SERIES = Pattern
		.compile("^fleet_release_gate\\{(?:branch=\"([^\"]*)\",)?master=\"lab\"\\} (\\S+)$", Pattern.MULTILINE);

	@BeforeAll
	void start() throws IOException {
		FileSystemUtils.deleteRecursively(dir("e2e-release-gate-pools"));
		this.lab = new Lab(dir("e2e-release-gate-pools").resolve("lab"));
		this.lab.up("pools");
		this.lab.run("fault", "bob-freebsd", "fail-test", "on");
		// One commit at a time: the lab hands each shared builder's builds round its pool, so bob builds every third
		// commit of each x86-64 builder; the ninth goes to him on 'x86-64 gcc 3.x' and to alice on 'x86-64 clang 3.x'.
		for (int i = 1; i <= 9; i++) {
			commitAndWait("change " + i);
		}
		// 3.14's first commit: alice, grace and erin build it, and pass.
		commitAndWait("3.14: a backport", "--branch", "3.14");
		startService("release-gate-pools");
	}

	@Test
	@Order(1)
	void aHostFailingAStableBuilderThatPassesOnItsPeerIsAHostConcernNotABlocker() {
		await().atMost(Duration.ofMinutes(2))
			.untilAsserted(() -> assertThat(worker("bob-freebsd").path("state").asString()).isEqualTo("flaky-host"));
		awaitAllBuildsRead();
		JsonNode gate = get("/api/release-gate?master=lab");
		System.out.println("[release-gate-it] every branch: " + gate.path("verdict") + " " + branchVerdicts(gate));
		assertThat(branchVerdicts(gate)).containsExactly("3.x=go", "3.14=go");
		assertThat(gate.path("verdict").asString()).isEqualTo("go");

		JsonNode x = get("/api/release-gate?master=lab&branch=3.x");
		assertThat(x.path("blockers").size()).isZero();
		JsonNode concern = only(x.path("concerns"));
		System.out.println("[release-gate-it] 3.x concern: " + concern);
		assertThat(concern.path("builder").asString()).isEqualTo("x86-64 gcc 3.x");
		assertThat(concern.path("cause").asString()).isEqualTo("host");
		assertThat(concern.path("worker").asString()).isEqualTo("bob-freebsd");
		assertThat(concern.path("workerState").asString()).isEqualTo("flaky-host");
		assertThat(concern.path("outcome").asString()).isEqualTo("host_failure");
		assertThat(concern.path("lastBuild").path("failingStep").asString()).isEqualTo("test");
		// pool concentration on this builder, or the same step failing across bob's shared builders: both name the
		// pool mates' builds that passed
		assertThat(concern.path("judgement").asString()).containsAnyOf("where its pool mates pass",
				"where other workers of its builders pass")
			.contains("passed: 'x86-64 gcc 3.x' #");
		assertThat(concern.path("peerBuild").path("worker").asString()).isIn("alice-debian", "grace-debian");
		assertThat(concern.path("peerBuild").path("url").asString()).startsWith(this.lab.url());
		assertThat(concern.path("reason").asString()).contains("which the classifier counts against that host",
				"passed on " + concern.path("peerBuild").path("worker").asString());
		assertThat(concern.path("action").asString())
			.startsWith("fix the host bob-freebsd (flaky-host), or take it off 'x86-64 gcc 3.x'");
		assertThat(names(x.path("passing"))).containsExactlyInAnyOrder("x86-64 clang 3.x", "ppc64le gcc 3.x");

		JsonNode proposal = get("/api/stable-set/proposal?master=lab");
		assertThat(proposal.path("remove").toString()).contains("x86-64 gcc 3.x",
				"failed on bob-freebsd (flaky-host) and are counted against that host");

		assertThat(gateSeries()).containsExactlyInAnyOrder("lab=1", "3.x=1", "3.14=1");
		assertThat(fetch("/api/release-gate/check?master=lab&branch=3.x").statusCode()).isEqualTo(200);
	}

	@Test
	@Order(2)
	void aStableBuilderFailingOnlyOn314Blocks314AndNot3x() {
		commitAndWait("3.14: a change that breaks the tests", "--branch", "3.14", "--break");
		awaitAllBuildsRead();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			JsonNode b314 = get("/api/release-gate?master=lab&branch=3.14");
			assertThat(b314.path("verdict").asString()).isEqualTo("no-go");
			assertThat(names(b314.path("blockers"))).containsExactlyInAnyOrder("x86-64 gcc 3.14", "x86-64 clang 3.14",
					"ppc64le gcc 3.14");
			b314.path("blockers").forEach((b) -> {
				assertThat(b.path("cause").asString()).isEqualTo("code");
				assertThat(b.path("outcome").asString()).as(b.toString()).isEqualTo("code_break");
			});
		});
		JsonNode b314 = get("/api/release-gate?master=lab&branch=3.14");
		System.out.println("[release-gate-it] 3.14 blocker: " + b314.path("blockers").get(0).path("reason"));
		assertThat(b314.path("blockers").get(0).path("reason").asString())
			.contains("the code's fault: the same revision failed on its peers too (revision ");

		JsonNode gate = get("/api/release-gate?master=lab");
		assertThat(branchVerdicts(gate)).containsExactly("3.x=go", "3.14=no-go");
		assertThat(gate.path("verdict").asString()).isEqualTo("no-go");
		assertThat(get("/api/release-gate?master=lab&branch=3.x").path("blockers").size()).isZero();

		assertThat(gateSeries()).containsExactlyInAnyOrder("lab=0", "3.x=1", "3.14=0");
		HttpResponse<String> check = fetch("/api/release-gate/check?master=lab&branch=3.14");
		assertThat(check.statusCode()).isEqualTo(409);
		assertThat(check.body()).contains("\"verdict\":\"no-go\"", "\"branch\":\"3.14\"");
		assertThat(fetch("/api/release-gate/check?master=lab&branch=3.x").statusCode()).isEqualTo(200);
		assertThat(fetch("/api/release-gate/check?master=lab").statusCode()).isEqualTo(409);

		String page = fetch("/release-gate?branch=3.14").body();
		assertThat(page).contains("id=\"branch-lab-3.14\"", "cause-code", "x86-64 gcc 3.14")
			.doesNotContain("id=\"branch-lab-3.x\"");
		String all = fetch("/release-gate").body();
		assertThat(all.indexOf("id=\"branch-lab-3.x\"")).as("newest branch first").isPositive()
			.isLessThan(all.indexOf("id=\"branch-lab-3.14\""));
	}

	@Test
	@Order(3)
	void theFixMakes314GoAgainAndItsSeriesFollows() {
		this.lab.run("fault", "bob-freebsd", "fail-test", "off");
		commitAndWait("3.14: the fix", "--branch", "3.14", "--fix");
		awaitAllBuildsRead();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(gateSeries()).containsExactlyInAnyOrder("lab=1", "3.x=1", "3.14=1"));
		JsonNode gate = get("/api/release-gate?master=lab");
		assertThat(branchVerdicts(gate)).containsExactly("3.x=go", "3.14=go");
		// bob's failure on 3.x is still his host's: a concern, not a blocker.
		assertThat(only(get("/api/release-gate?master=lab&branch=3.x").path("concerns")).path("cause").asString())
			.isEqualTo("host");
		assertThat(fetch("/api/release-gate/check?master=lab&branch=3.14").statusCode()).isEqualTo(200);
	}

	/** The gauge's series of master 'lab': "lab=1" for every branch, "3.14=0" for one branch. */
	private List<String> gateSeries() {
		String scrape = fetch("/actuator/prometheus").body();
		List<String> series = new ArrayList<>();
		Matcher m = GATE_SERIES.matcher(scrape);
		while (m.find()) {
			series.add(((m.group(1) != null) ? m.group(1) : "lab") + "=" + (int) Double.parseDouble(m.group(2)));
		}
		return series;
	}

	private static List<String> branchVerdicts(JsonNode gate) {
		List<String> verdicts = new ArrayList<>();
		gate.path("branches")
			.forEach((b) -> verdicts.add(b.path("branch").asString() + "=" + b.path("verdict").asString()));
		return verdicts;
	}

	private static List<String> names(JsonNode entries) {
		List<String> names = new ArrayList<>();
		entries.forEach((e) -> names.add(e.path("builder").asString()));
		return names;
	}

	private static JsonNode only(JsonNode entries) {
		assertThat(entries.size()).as(entries.toString()).isEqualTo(1);
		return entries.get(0);
	}

}
