package org.fleethealth.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
 * Host or build on a real Buildbot 3.7 fleet shaped like real ones ({@code scripts/lab up --layout pools}):
 * builders shared by pools of workers, branch and tier tags. bob's host fails the x86-64 builders his pool mates
 * pass; erin and frank, the two ppc64le workers, both fail the ppc64le builders that other platforms pass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostOrBuildPoolsIT extends HostOrBuildScenario {

	private static final Map<String, String> EXPECTED = Map.of("alice-debian", "healthy", "grace-debian", "healthy",
			"carol-arm64", "healthy", "bob-freebsd", "flaky-host", "erin-ppc64le", "failing-build", "frank-ppc64le",
			"failing-build", "dave-macos", "offline");

	private static final List<String> HEALTHY = List.of("alice-debian", "grace-debian", "carol-arm64");

	@BeforeAll
	void start() throws IOException {
		FileSystemUtils.deleteRecursively(dir("e2e-host-or-build-pools"));
		this.lab = new Lab(dir("e2e-host-or-build-pools").resolve("lab"));
		this.lab.up("pools");
		this.lab.run("fault", "bob-freebsd", "fail-test", "on");
		this.lab.run("fault", "erin-ppc64le", "fail-test", "on");
		this.lab.run("fault", "frank-ppc64le", "fail-test", "on");
		// One commit at a time: the lab hands each shared builder's builds round its pool, so bob gets every
		// third build of each x86-64 builder.
		for (int i = 1; i <= 9; i++) {
			commitAndWait("change " + i);
		}
		startService("host-or-build-pools");
	}

	@Test
	@Order(1)
	void judgesHostsAndBuildsOnSharedBuilders() {
		await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(states()).isEqualTo(EXPECTED));

		JsonNode bob = worker("bob-freebsd");
		assertThat(bob.path("rules").get(0).asString()).isEqualTo("pool-concentration");
		assertThat(bob.path("evidence").get(0).asString()).startsWith("'x86-64 ")
			.contains("builds on this worker in the last 7d while its other workers (")
			.contains("the host, not the build");

		for (String name : List.of("erin-ppc64le", "frank-ppc64le")) {
			JsonNode worker = worker(name);
			assertThat(worker.path("rules").get(0).asString()).as(name).isEqualTo("failing-streak");
			assertThat(worker.path("evidence").toString()).as(name)
				.contains("'ppc64le gcc 3.x' failed its last")
				.contains("on erin-ppc64le, frank-ppc64le");
			assertThat(worker.path("builds").path("codeBreak").asInt()).as(name + ": no code break").isZero();
			assertThat(worker.path("builds").path("hostFailure").asInt()).as(name + ": no host failure").isZero();
		}

		// Branches are no build classes: not on the worker, not on /classes.
		JsonNode alice = worker("alice-debian");
		assertThat(alice.path("classes").toString()).contains("gcc", "clang", "x86-64")
			.doesNotContain("3.x", "3.14", "tier-1", "stable");
		assertThat(alice.path("branches").toString()).contains("3.x", "3.14");
		String classes = this.get("/api/workers").toString();
		assertThat(classes).doesNotContain("\"classes\":[\"3.x\"");
	}

	@Test
	@Order(2)
	void aCodeBreakAndMasterRestartsMoveNobody() {
		codeBreakAndRestartsMoveNobody(EXPECTED, HEALTHY);
	}

}
