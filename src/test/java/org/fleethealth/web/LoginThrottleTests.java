package org.fleethealth.web;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.fleethealth.MutableClock;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.health.WorkerReports;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;

/**
 * Failed logins are throttled per client and per user name, on HTTP Basic and the login form: past the limit a
 * login is refused with 429 and Retry-After before any password is checked, counted in metrics, and works again
 * once the window has passed.
 */
@WebSliceTest(properties = { "fleet-health.security.login.max-failures-per-client=4",
		"fleet-health.security.login.max-failures-per-user=2", "fleet-health.security.login.window=PT10M" })
class LoginThrottleTests {

	static final String PASSWORD = "correct horse battery staple";

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private MutableClock clock;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private FleetQueries fleet;

	@Autowired
	private WorkerReports reports;

	@MockitoSpyBean
	private PasswordEncoder passwords;

	@DynamicPropertySource
	static void users(DynamicPropertyRegistry registry) {
		String hash = "{bcrypt}" + new BCryptPasswordEncoder(4).encode(PASSWORD);
		registry.add("fleet-health.security.users[0].name", () -> "maintainer");
		registry.add("fleet-health.security.users[0].password", () -> hash);
		registry.add("fleet-health.security.users[0].roles", () -> "MAINTAINER");
		registry.add("fleet-health.security.users[1].name", () -> "reader");
		registry.add("fleet-health.security.users[1].password", () -> hash);
	}

	@BeforeEach
	void fleet() {
		given(this.fleet.masterNames()).willReturn(List.of("lab"));
		given(this.reports.all()).willReturn(PageFixtures.lab());
	}

	private static RequestPostProcessor from(String address) {
		return (request) -> {
			request.setRemoteAddr(address);
			return request;
		};
	}

	private MvcTestResult api(String client, String user, String password) {
		return this.mvc.get().uri("/api/workers").with(from(client)).with(httpBasic(user, password)).exchange();
	}

	private MvcTestResult form(String client, String user, String password) {
		return this.mvc.post()
			.uri("/login")
			.with(from(client))
			.with(csrf())
			.param("username", user)
			.param("password", password)
			.exchange();
	}

	private double count(String name, String via) {
		return this.meters.get(name).tag("via", via).counter().count();
	}

	private void passwordChecks(int times) {
		verify(this.passwords, times(times)).matches(any(), any());
		clearInvocations(this.passwords);
	}

	@Test
	void aUserNameWithTooManyFailuresIsRefusedFromEverywhereUntilTheWindowEnds() {
		double failures = count("fleet.login.failures", "basic");
		double throttledBasic = count("fleet.login.throttled", "basic");
		double throttledForm = count("fleet.login.throttled", "form");
		assertThat(api("127.0.0.2", "maintainer", "wrong")).hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(api("127.0.0.2", "Maintainer", "wrong")).hasStatus(HttpStatus.UNAUTHORIZED);
		passwordChecks(2);

		// Two failures for the name: even the right password, from another client, is refused without a check.
		MvcTestResult refused = api("127.0.0.3", "maintainer", PASSWORD);
		assertThat(refused).hasStatus(HttpStatus.TOO_MANY_REQUESTS).hasHeader(HttpHeaders.RETRY_AFTER, "600");
		assertThat(refused).bodyJson().extractingPath("$.detail").asString().contains("Too many failed logins");
		assertThat(form("127.0.0.3", "maintainer", PASSWORD)).hasStatus(HttpStatus.TOO_MANY_REQUESTS);
		passwordChecks(0);
		assertThat(api("127.0.0.3", "reader", PASSWORD)).as("other names are not held up").hasStatusOk();
		passwordChecks(1);

		this.clock.advance(Duration.ofMinutes(9));
		assertThat(api("127.0.0.3", "maintainer", PASSWORD)).hasHeader(HttpHeaders.RETRY_AFTER, "60");
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(api("127.0.0.3", "maintainer", PASSWORD)).as("after the window").hasStatusOk();
		assertThat(count("fleet.login.failures", "basic") - failures).isEqualTo(2);
		assertThat(count("fleet.login.throttled", "basic") - throttledBasic).isEqualTo(2);
		assertThat(count("fleet.login.throttled", "form") - throttledForm).isEqualTo(1);
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aClientWithTooManyFailuresIsRefusedWhateverNameItTries(CapturedOutput output) {
		double failures = count("fleet.login.failures", "form");
		for (String name : List.of("alice", "bob", "carol", "dave")) {
			assertThat(form("127.0.0.4", name, "guess")).as(name)
				.hasStatus(HttpStatus.FOUND)
				.hasRedirectedUrl("/login?error");
		}
		// Each failure is logged, for an operator and log watchers, and so is the client reaching its limit.
		assertThat(output).contains("Failed login for 'alice' from 127.0.0.4 (form): 1 of 4 from this client, 1 of 2"
				+ " for this name within login.window")
			.contains("Failed login for 'dave' from 127.0.0.4 (form): 4 of 4 from this client")
			.contains("Logins from 127.0.0.4 are refused (429) until ")
			.doesNotContain("guess");
		passwordChecks(4);
		assertThat(form("127.0.0.4", "erin", "guess")).hasStatus(HttpStatus.TOO_MANY_REQUESTS)
			.hasHeader(HttpHeaders.RETRY_AFTER, "600");
		assertThat(api("127.0.0.4", "reader", PASSWORD)).as("the API too").hasStatus(HttpStatus.TOO_MANY_REQUESTS);
		passwordChecks(0);
		assertThat(form("127.0.0.5", "reader", PASSWORD)).as("another client")
			.hasStatus(HttpStatus.FOUND)
			.hasRedirectedUrl("/");
		assertThat(count("fleet.login.failures", "form") - failures).isEqualTo(4);

		this.clock.advance(Duration.ofMinutes(10));
		assertThat(form("127.0.0.4", "reader", PASSWORD)).hasStatus(HttpStatus.FOUND).hasRedirectedUrl("/");
	}

	@Test
	void aSuccessfulLoginClearsTheNamesCountButNotTheClients() {
		assertThat(api("127.0.0.6", "reader", "wrong")).hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(api("127.0.0.6", "reader", PASSWORD)).hasStatusOk();
		assertThat(api("127.0.0.6", "reader", "wrong")).hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(api("127.0.0.6", "reader", PASSWORD)).as("one failure since the success").hasStatusOk();
		assertThat(api("127.0.0.6", "nobody", "wrong")).hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(api("127.0.0.6", "somebody", "wrong")).hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(api("127.0.0.6", "reader", PASSWORD)).as("four failures from the client")
			.hasStatus(HttpStatus.TOO_MANY_REQUESTS);
	}

}
