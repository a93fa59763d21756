package org.fleethealth.web;

import java.time.Clock;
import java.util.List;

import org.fleethealth.MutableClock;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.mail.OnceOverService;
import org.fleethealth.pruning.PruningService;
import org.fleethealth.pruning.ReplyService;
import org.fleethealth.gate.ReleaseGates;
import org.fleethealth.health.WorkerReports;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

/** With {@code fleet-health.security.public-read=false} every page and API needs a login, owner replies excepted. */
@WebMvcTest(properties = "fleet-health.security.public-read=false")
@Import({ SecurityConfiguration.class, ClosedReadSecurityTests.Config.class })
class ClosedReadSecurityTests {

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private FleetQueries fleet;

	@MockitoBean
	private PruningService pruning;

	@MockitoBean
	private ReplyService replies;

	@MockitoBean
	private OnceOverService digest;

	@MockitoBean
	private WorkerReports reports;

	@MockitoBean
	private ReleaseGates gates;

	@BeforeEach
	void fleet() {
		given(this.replies.check(anyString())).willReturn(ReplyService.LinkCheck.unknown());
		given(this.replies.redeem(anyString(), any(), any())).willReturn(ReplyService.LinkCheck.unknown());
		given(this.digest.run()).willReturn(new OnceOverService.Result("2026-W48", 0, 0, 0, 0));
		given(this.fleet.masterNames()).willReturn(List.of("lab"));
		given(this.reports.workers("lab")).willReturn(PageFixtures.lab());
		given(this.reports.all()).willReturn(PageFixtures.lab());
	}

	@Test
	void pagesNeedALogin() {
		for (String uri : List.of("/", "/classes", "/release-gate", "/workers/lab/bob-freebsd")) {
			assertThat(this.mvc.get().uri(uri).exchange()).as(uri)
				.hasStatus(HttpStatus.FOUND)
				.redirectedUrl()
				.endsWith("/login");
		}
		assertThat(this.mvc.get().uri("/").with(user("reader")).exchange()).hasStatusOk();
	}

	@Test
	void theApiNeedsCredentials() {
		assertThat(this.mvc.get().uri("/api/workers").exchange()).hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(this.mvc.get().uri("/api/workers").with(user("reader")).exchange()).hasStatusOk();
	}

	@Test
	void theLoginPageStylesAndOwnerRepliesStayOpen() {
		assertThat(this.mvc.get().uri("/login").exchange()).hasStatusOk();
		assertThat(this.mvc.get().uri("/css/fleet-health.css").exchange()).hasStatusOk();
		assertThat(this.mvc.get().uri("/replies/abc").exchange()).as("an unknown link, but not a login")
			.hasStatus(HttpStatus.NOT_FOUND);
	}

	@TestConfiguration(proxyBeanMethods = false)
	@EnableConfigurationProperties(FleetSecurityProperties.class)
	static class Config {

		@Bean
		Clock clock() {
			return new MutableClock(PageFixtures.NOW);
		}

	}

}
