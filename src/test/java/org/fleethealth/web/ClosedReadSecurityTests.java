package org.fleethealth.web;

import java.util.List;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.mail.OnceOverService;
import org.fleethealth.pruning.ReplyService;
import org.fleethealth.health.WorkerReports;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

/** With {@code fleet-health.security.public-read=false} every page and API needs a login, owner replies excepted. */
@WebSliceTest(properties = "fleet-health.security.public-read=false")
class ClosedReadSecurityTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private FleetQueries fleet;

	@Autowired
	private ReplyService replies;

	@Autowired
	private OnceOverService digest;

	@Autowired
	private WorkerReports reports;

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
	void aReaderRefusedAPageIsToldWhyInThePagesOrTheApisWay() {
		assertThat(this.mvc.get().uri("/quarantine").with(user("rob")).header("Accept", "text/html").exchange())
			.hasStatus(HttpStatus.FORBIDDEN);
		assertThat(this.mvc.get().uri("/quarantine").with(user("rob")).exchange()).hasStatus(HttpStatus.FORBIDDEN)
			.hasContentTypeCompatibleWith("application/problem+json")
			.bodyText()
			.contains("This needs a user with the MAINTAINER role ('rob' has not)");
	}

	@Test
	void theApiNeedsCredentials() {
		assertThat(this.mvc.get().uri("/api/workers").exchange()).hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(this.mvc.get().uri("/api/workers").with(user("reader")).exchange()).hasStatusOk();
	}

	@Test
	void theLoginPageStylesAndOwnerRepliesStayOpen() {
		assertThat(this.mvc.get().uri("/login").exchange()).hasStatusOk()
			.bodyText()
			.contains("Every page needs a login here")
			.doesNotContain("Reading needs no login");
		assertThat(this.mvc.get().uri("/css/fleet-health.css").exchange()).hasStatusOk();
		assertThat(this.mvc.get().uri("/replies/abc").exchange()).as("an unknown link, but not a login")
			.hasStatus(HttpStatus.NOT_FOUND);
	}

}
