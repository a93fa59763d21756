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
 * The same checks on the one-worker-per-builder lab ({@code scripts/lab up}): today's answers stay right (bob's
 * checkouts fail: his host; carol's tests fail on both her builders, which nothing shows is her host), and a code
 * break or master restarts while builds run move nobody. Each restart shows at most one disconnect per worker,
 * and none of them counts toward flapping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostOrBuildClassicIT extends HostOrBuildScenario {

	private static final Map<String, String> EXPECTED = Map.of("alice-debian", "healthy", "bob-freebsd", "flaky-host",
			"carol-arm64", "failing-build", "dave-macos", "offline");

	@BeforeAll
	void start() throws IOException {
		FileSystemUtils.deleteRecursively(dir("e2e-host-or-build-classic"));
		this.lab = new Lab(dir("e2e-host-or-build-classic").resolve("lab"));
		this.lab.up();
		this.lab.run("fault", "bob-freebsd", "fail-checkout", "on");
		this.lab.run("fault", "carol-arm64", "fail-test", "on");
		for (int i = 1; i <= 3; i++) {
			commitAndWait("change " + i);
		}
		startService("host-or-build-classic");
	}

	@Test
	@Order(1)
	void givesTodaysAnswers() {
		await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(states()).isEqualTo(EXPECTED));
		assertThat(worker("bob-freebsd").path("rules").get(0).asString()).isEqualTo("host-failure-ratio");
		JsonNode carol = worker("carol-arm64");
		assertThat(carol.path("rules").get(0).asString()).isEqualTo("failing-streak");
		assertThat(carol.path("evidence").toString()).contains("the same revisions passed on 1 peer");
	}

	@Test
	@Order(2)
	void aCodeBreakAndMasterRestartsMoveNobody() {
		codeBreakAndRestartsMoveNobody(EXPECTED, List.of("alice-debian"));
		for (String name : List.of("alice-debian", "bob-freebsd", "carol-arm64")) {
			long disconnects = 0;
			for (JsonNode transition : worker(name).path("transitions")) {
				disconnects += transition.path("connected").asBoolean() ? 0 : 1;
			}
			assertThat(disconnects).as(name + ": at most one disconnect per restart").isLessThanOrEqualTo(3);
		}
	}

}
