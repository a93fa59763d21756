package org.fleethealth.web;

import java.util.List;
import java.util.Optional;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.mail.OnceOverService;
import org.fleethealth.mail.MailTrouble;
import org.fleethealth.mail.OutboxReader;
import org.fleethealth.mail.OutboxView;
import org.fleethealth.pruning.ReplyService;
import org.fleethealth.gate.ReleaseGates;
import org.fleethealth.health.WorkerReports;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

/**
 * Who may do what with public reading (the default): anyone reads, only maintainers change anything, forms
 * need their CSRF token, the API takes HTTP Basic with bcrypt-hashed users from configuration.
 */
@WebSliceTest
class SecurityTests {

	static final String PASSWORD = "correct horse battery staple";

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private FleetQueries fleet;

	@Autowired
	private ReplyService replies;

	@Autowired
	private OnceOverService digest;

	@Autowired
	private OutboxReader outbox;

	@Autowired
	private WorkerReports reports;

	@Autowired
	private ReleaseGates gates;

	@DynamicPropertySource
	static void users(DynamicPropertyRegistry registry) {
		// Strength 4 keeps the test fast; a real hash uses 10 or more.
		String hash = new BCryptPasswordEncoder(4).encode(PASSWORD);
		registry.add("fleet-health.security.users[0].name", () -> "maintainer");
		registry.add("fleet-health.security.users[0].password", () -> "{bcrypt}" + hash);
		registry.add("fleet-health.security.users[0].roles", () -> "MAINTAINER");
		// Without the prefix, as htpasswd prints it.
		registry.add("fleet-health.security.users[1].name", () -> "reader");
		registry.add("fleet-health.security.users[1].password", () -> hash.replace("$2a$", "$2y$"));
	}

	@BeforeEach
	void fleet() {
		given(this.replies.check(anyString())).willReturn(ReplyService.LinkCheck.unknown());
		given(this.replies.redeem(anyString(), any(), any())).willReturn(ReplyService.LinkCheck.unknown());
		given(this.digest.run()).willReturn(new OnceOverService.Result("2026-W48", 0, 0, 0, 0));
		given(this.fleet.masterNames()).willReturn(List.of("lab"));
		given(this.reports.workers("lab")).willReturn(PageFixtures.lab());
		given(this.gates.masters()).willReturn(List.of("lab"));
		given(this.gates.gate("lab")).willReturn(Optional.of(PageFixtures.gate()));
		given(this.gates.refresh("lab")).willReturn(Optional.of(PageFixtures.gate()));
		given(this.gates.proposal("lab")).willReturn(Optional.of(PageFixtures.proposal()));
	}

	@Test
	void anyoneReadsPagesAndTheApi() {
		for (String uri : List.of("/", "/classes", "/release-gate", "/api/workers", "/api/release-gate",
				"/api/stable-set/proposal", "/login", "/css/fleet-health.css")) {
			assertThat(this.mvc.get().uri(uri).exchange()).as(uri).hasStatusOk();
		}
		assertThat(this.mvc.get().uri("/login").exchange()).bodyText().contains("Reading needs no login");
	}

	@Test
	void anAnonymousFormPostIsSentToTheLoginPage() {
		assertThat(this.mvc.post().uri("/release-gate/refresh").param("master", "lab").with(csrf()).exchange())
			.hasStatus(HttpStatus.FOUND)
			.redirectedUrl()
			.endsWith("/login");
		then(this.gates).should(never()).refresh("lab");
	}

	@Test
	void anAnonymousApiPostIsAskedForBasicCredentials() {
		var result = this.mvc.post().uri("/api/release-gate/refresh").param("master", "lab").exchange();
		assertThat(result).hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic");
		then(this.gates).should(never()).refresh("lab");
	}

	@Test
	void aFormPostWithoutCsrfTokenIsForbiddenEvenForAMaintainer() {
		assertThat(this.mvc.post()
			.uri("/release-gate/refresh")
			.param("master", "lab")
			.with(user("maintainer").roles("MAINTAINER"))
			.exchange()).hasStatus(HttpStatus.FORBIDDEN);
		then(this.gates).should(never()).refresh("lab");
	}

	@Test
	void aMaintainerRefreshesTheGateThroughTheForm() {
		var result = this.mvc.post()
			.uri("/release-gate/refresh")
			.param("master", "lab")
			.with(user("maintainer").roles("MAINTAINER"))
			.with(csrf())
			.exchange();
		assertThat(result).hasStatus(HttpStatus.FOUND).redirectedUrl().isEqualTo("/release-gate?master=lab");
		assertThat(result.getMvcResult().getFlashMap().get("refreshed")).asString()
			.isEqualTo("maintainer re-evaluated the release gate of 'lab': no-go (1 blocking, 3 concerns, 1 passing)");
		then(this.gates).should().refresh("lab");

		// From a branch's page, that branch's verdict (the master's read as contradicting a GO card).
		given(this.gates.gate("lab", "3.14")).willReturn(Optional.of(PageFixtures.gate().onBranch("3.14")));
		var branch = this.mvc.post()
			.uri("/release-gate/refresh")
			.param("master", "lab")
			.param("branch", "3.14")
			.with(user("maintainer").roles("MAINTAINER"))
			.with(csrf())
			.exchange();
		assertThat(branch).hasStatus(HttpStatus.FOUND).redirectedUrl().isEqualTo("/release-gate?master=lab&branch=3.14");
		assertThat(branch.getMvcResult().getFlashMap().get("refreshed")).asString()
			.startsWith("maintainer re-evaluated the release gate of 'lab': branch '3.14' go (0 blocking, 1 concern, ");
	}

	@Test
	void theFormRefreshesTheOnlyMasterWhenNoneIsNamedAsTheApiDoes() {
		var result = this.mvc.post()
			.uri("/release-gate/refresh")
			.param("master", "")
			.with(user("maintainer").roles("MAINTAINER"))
			.with(csrf())
			.exchange();
		assertThat(result).hasStatus(HttpStatus.FOUND).redirectedUrl().isEqualTo("/release-gate?master=lab");
		then(this.gates).should().refresh("lab");
		assertThat(this.mvc.post()
			.uri("/release-gate/refresh")
			.param("master", "nosuch")
			.with(user("maintainer").roles("MAINTAINER"))
			.with(csrf())
			.exchange()).hasStatus(HttpStatus.NOT_FOUND);
	}

	@Test
	void aLoggedInMaintainerSeesTheRefreshButton() {
		assertThat(this.mvc.get().uri("/release-gate").with(user("maintainer").roles("MAINTAINER")).exchange())
			.bodyText()
			.contains("Re-evaluate now", "Log out")
			.doesNotContain("Log in to re-evaluate");
	}

	@Test
	void aUserWithoutTheMaintainerRoleCannotChangeAnything() {
		assertThat(this.mvc.post()
			.uri("/release-gate/refresh")
			.param("master", "lab")
			.with(user("reader"))
			.with(csrf())
			.exchange()).hasStatus(HttpStatus.FORBIDDEN);
		assertThat(this.mvc.post()
			.uri("/api/release-gate/refresh")
			.param("master", "lab")
			.with(httpBasic("reader", PASSWORD))
			.exchange()).hasStatus(HttpStatus.FORBIDDEN);
	}

	@Test
	void aConfiguredMaintainerLogsInWithTheFormAndTheBcryptHash() {
		assertThat(this.mvc.perform(formLogin().user("maintainer").password(PASSWORD)))
			.hasStatus(HttpStatus.FOUND)
			.redirectedUrl()
			.isEqualTo("/");
		assertThat(this.mvc.perform(formLogin().user("maintainer").password("wrong")))
			.redirectedUrl()
			.isEqualTo("/login?error");
	}

	@Test
	void aConfiguredMaintainerUsesTheApiWithBasicAndNoCsrfToken() {
		assertThat(this.mvc.post()
			.uri("/api/release-gate/refresh")
			.param("master", "lab")
			.with(httpBasic("maintainer", PASSWORD))
			.exchange()).hasStatusOk().bodyJson().extractingPath("$.verdict").isEqualTo("no-go");
		then(this.gates).should().refresh("lab");
		// With a branch, that branch's gate after the refresh, as GET answers it (it was dropped without a word).
		given(this.gates.gate("lab", "3.14")).willReturn(Optional.of(PageFixtures.gate().onBranch("3.14")));
		var branch = assertThat(this.mvc.post()
			.uri("/api/release-gate/refresh")
			.param("master", "lab")
			.param("branch", "3.14")
			.with(httpBasic("maintainer", PASSWORD))
			.exchange()).hasStatusOk().bodyJson();
		branch.extractingPath("$.branch").isEqualTo("3.14");
		branch.extractingPath("$.verdict").isEqualTo("go");
		then(this.gates).should(org.mockito.Mockito.times(2)).refresh("lab");
		assertThat(this.mvc.post()
			.uri("/api/release-gate/refresh")
			.param("master", "lab")
			.with(httpBasic("maintainer", "wrong"))
			.exchange()).hasStatus(HttpStatus.UNAUTHORIZED)
			.bodyJson()
			.extractingPath("$.detail")
			.asString()
			.startsWith("The credentials given were not accepted");
		assertThat(this.mvc.post().uri("/api/release-gate/refresh").param("master", "lab").exchange())
			.hasStatus(HttpStatus.UNAUTHORIZED)
			.bodyJson()
			.extractingPath("$.detail")
			.asString()
			.startsWith("Credentials are needed");
	}

	@Test
	void theApiIgnoresTheLoginSession() {
		// A browser's session cookie is what CSRF abuses; the API does not accept it as a login.
		var login = this.mvc.perform(formLogin().user("maintainer").password(PASSWORD));
		var session = login.getRequest().getSession(false);
		assertThat(this.mvc.post()
			.uri("/api/release-gate/refresh")
			.param("master", "lab")
			.session((org.springframework.mock.web.MockHttpSession) session)
			.exchange()).hasStatus(HttpStatus.UNAUTHORIZED);
	}

	@Test
	void aCrossSiteApiPostFromABrowserIsForbiddenEvenWithCredentials() {
		assertThat(this.mvc.post()
			.uri("/api/release-gate/refresh")
			.param("master", "lab")
			.header("Sec-Fetch-Site", "cross-site")
			.with(httpBasic("maintainer", PASSWORD))
			.exchange()).hasStatus(HttpStatus.FORBIDDEN);
		assertThat(this.mvc.post()
			.uri("/api/release-gate/refresh")
			.param("master", "lab")
			.header("Sec-Fetch-Site", "same-origin")
			.with(httpBasic("maintainer", PASSWORD))
			.exchange()).hasStatusOk();
	}

	@Test
	void theOutboxIsForMaintainersAndSaysWhatWouldBeSent() {
		given(this.outbox.newest(null, 50)).willReturn(List.of(new OutboxView(7, "once-over",
				"Jane Doe <jane@example.org>", "2026-W48", "fleet-health: 1 worker needs a look", "PENDING", 0,
				PageFixtures.NOW, PageFixtures.NOW, null, null, "Hello Jane, ...")));
		given(this.outbox.newest("bogus", 50)).willThrow(
				new IllegalArgumentException("unknown status 'bogus': one of pending, sent, failed"));
		assertThat(this.mvc.get().uri("/api/mail/outbox").exchange()).hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(this.mvc.get().uri("/api/mail/outbox").with(httpBasic("reader", PASSWORD)).exchange())
			.hasStatus(HttpStatus.FORBIDDEN);
		var json = assertThat(this.mvc.get().uri("/api/mail/outbox").with(httpBasic("maintainer", PASSWORD)).exchange())
			.hasStatusOk()
			.bodyJson();
		json.extractingPath("$[0].to").isEqualTo("Jane Doe <jane@example.org>");
		json.extractingPath("$[0].status").isEqualTo("PENDING");
		json.extractingPath("$[0].text").isEqualTo("Hello Jane, ...");
		assertThat(this.mvc.get().uri("/api/mail/outbox?status=bogus").with(httpBasic("maintainer", PASSWORD)).exchange())
			.hasStatus(HttpStatus.BAD_REQUEST)
			.bodyText()
			.contains("one of pending, sent, failed");
		assertThat(this.mvc.get().uri("/api/mail/outbox?limit=0").with(httpBasic("maintainer", PASSWORD)).exchange())
			.hasStatus(HttpStatus.BAD_REQUEST)
			.bodyText()
			.contains("limit must be from 1 to 500");
	}

	@Test
	void theFrontPageSaysWhenOwnerMailDoesNotGetThroughAndShowsTheErrorToMaintainersOnly() {
		assertThat(this.mvc.get().uri("/").exchange()).hasStatusOk()
			.bodyText()
			.as("mail that flows says nothing")
			.doesNotContain("Owner mail is not getting through");
		given(this.outbox.trouble()).willReturn(Optional.of(new MailTrouble(3, 2, 1, 0,
				"Mail server connection failed. Couldn't connect to host, port: mail.example.org, 2525",
				PageFixtures.NOW.plusSeconds(240))));
		assertThat(this.mvc.get().uri("/").exchange()).hasStatusOk()
			.bodyText()
			.contains("Owner mail is not getting through", "<strong>3</strong>", "messages wait",
					"in the outbox, and delivering fails:", "2 tried and failed, the next attempt due", "in 4m",
					"<strong>1</strong>", "message was", "given up in the last 7 days")
			.as("the error can name the SMTP server: maintainers only")
			.doesNotContain("mail.example.org")
			.doesNotContain("no SMTP server is configured");
		assertThat(this.mvc.get().uri("/").with(user("reader")).exchange()).hasStatusOk()
			.bodyText()
			.doesNotContain("mail.example.org");
		assertThat(this.mvc.get().uri("/").with(user("maintainer").roles("MAINTAINER")).exchange()).hasStatusOk()
			.bodyText()
			.contains("Last error:", "port: mail.example.org, 2525");

		given(this.outbox.trouble()).willReturn(Optional.of(new MailTrouble(1, 0, 0, 1, null, null)));
		assertThat(this.mvc.get().uri("/").exchange()).hasStatusOk()
			.bodyText()
			.contains("<strong>1</strong>", "message waits", "no SMTP server is configured")
			.doesNotContain("Last error:");
	}

	@Test
	void theOnceOverMailNeedsAMaintainerAndOwnerRepliesNeedNoLogin() {
		assertThat(this.mvc.post().uri("/api/mail/once-over").exchange()).hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(this.mvc.post().uri("/api/mail/once-over").with(httpBasic("reader", PASSWORD)).exchange())
			.hasStatus(HttpStatus.FORBIDDEN);
		assertThat(this.mvc.post().uri("/api/mail/once-over").with(httpBasic("maintainer", PASSWORD)).exchange())
			.hasStatusOk();
		assertThat(this.mvc.get().uri("/replies/abc").exchange()).hasStatus(HttpStatus.NOT_FOUND);
		assertThat(this.mvc.post().uri("/replies/abc").with(csrf()).exchange()).hasStatus(HttpStatus.NOT_FOUND);
		// The reply's token stands in for the CSRF token: an owner whose page session expired can still answer.
		assertThat(this.mvc.post().uri("/replies/abc").exchange()).as("no session, same site")
			.hasStatus(HttpStatus.NOT_FOUND);
		assertThat(this.mvc.post().uri("/replies/abc").header("Sec-Fetch-Site", "cross-site").exchange())
			.as("a cross-site write needs the session's CSRF token")
			.hasStatus(HttpStatus.FORBIDDEN);
		assertThat(this.mvc.post().uri("/pruning/1/approve").with(user("maintainer").roles("MAINTAINER")).exchange())
			.as("other page forms still need it")
			.hasStatus(HttpStatus.FORBIDDEN);
	}

	@Test
	void pagesForbidFraming() {
		assertThat(this.mvc.get().uri("/").exchange().getResponse().getHeader("Content-Security-Policy"))
			.contains("frame-ancestors 'none'", "default-src 'self'");
	}

}
