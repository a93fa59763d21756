package org.fleethealth.web;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.FleetWorker;
import org.fleethealth.quarantine.QuarantineEventView;
import org.fleethealth.quarantine.QuarantineService;
import org.fleethealth.quarantine.QuarantineStatus;
import org.fleethealth.quarantine.QuarantineView;
import org.fleethealth.quarantine.Refusal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

/**
 * {@code /quarantine} and {@code /api/quarantine}: maintainers only (reading included), CSRF on the page's forms,
 * the queue with evidence, takeover and owner, and the refusals with their reason.
 */
@WebSliceTest
class QuarantinePagesTests {

	private static final Instant AT = Instant.parse("2026-11-27T12:00:00Z");

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private QuarantineService quarantine;

	@Autowired
	private FleetQueries fleet;

	private static QuarantineView view(long id, String worker, QuarantineStatus status, Refusal refusal, String note) {
		return new QuarantineView(id, "lab", worker, status, AT.minusSeconds(7200),
				List.of("'x86-64 gcc': 4 of 9 builds failed while its pool mates passed"),
				List.of("x86-64 gcc: alice-debian, grace-debian"), "Bob Builder <bob@example.org>", refusal, note, null,
				AT, AT, (status == QuarantineStatus.PROPOSED) ? null : "jane", null, null, null, null, null);
	}

	@BeforeEach
	void queue() {
		QuarantineView proposed = view(3, "bob-freebsd", QuarantineStatus.PROPOSED, null, null);
		QuarantineView held = new QuarantineView(4, "lab", "erin-ppc64le", QuarantineStatus.QUARANTINED, AT,
				List.of("flaky"), List.of(), null, null, null, "quarantined by fleet-health: proposal #4: flaky", AT, AT,
				"jane", AT, AT, null, null, null);
		given(this.quarantine.proposals(any(Optional.class))).willReturn(List.of(held, proposed,
				view(2, "frank-ppc64le", QuarantineStatus.REFUSED, Refusal.CODE_BREAK,
						"refused by the safety valve (code-break): 3 of its last 3 host failures were on revisions"
								+ " that also failed on its peers"),
				view(1, "gina-s390x", QuarantineStatus.PROBATION_FAILED, null, "a host failure on probation")));
		given(this.quarantine.proposal(3)).willReturn(Optional.of(proposed));
		given(this.quarantine.approve(3, "maintainer"))
			.willReturn(view(3, "bob-freebsd", QuarantineStatus.QUARANTINED, null, null));
	}

	@Test
	void onlyMaintainersSeeTheQueue() {
		assertThat(this.mvc.get().uri("/quarantine").exchange()).hasStatus(HttpStatus.FOUND)
			.redirectedUrl()
			.endsWith("/login");
		assertThat(this.mvc.get().uri("/api/quarantine/proposals").exchange()).hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(this.mvc.get().uri("/api/quarantine/proposals/3").exchange()).hasStatus(HttpStatus.UNAUTHORIZED)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.hasHeader("Content-Type", "application/problem+json;charset=UTF-8")
			.hasHeader("WWW-Authenticate", "Basic realm=\"fleet-health\"")
			.bodyJson()
			.extractingPath("$.status")
			.isEqualTo(401);
		assertThat(this.mvc.get().uri("/api/quarantine/proposals").with(user("reader")).exchange())
			.hasStatus(HttpStatus.FORBIDDEN)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("This needs a maintainer (role MAINTAINER)");
		given(this.fleet.worker("lab", "bob-freebsd")).willReturn(Optional.of(mock(FleetWorker.class)));
		assertThat(this.mvc.get().uri("/api/quarantine/workers/lab/bob-freebsd").exchange()).as("as its page")
			.hasStatusOk();
		assertThat(this.mvc.get().uri("/quarantine").with(user("reader")).exchange()).hasStatus(HttpStatus.FORBIDDEN);
		assertThat(this.mvc.get().uri("/quarantine").with(user("maintainer").roles("MAINTAINER")).exchange())
			.hasStatusOk()
			.bodyText()
			.contains("bob-freebsd", "4 of 9 builds failed", "x86-64 gcc: alice-debian, grace-debian",
					"Bob Builder &lt;bob@example.org&gt;", "approve-3", "name=\"_csrf\"", "frank-ppc64le",
					"code-break", "also failed on its peers", "erin-ppc64le", "release-4", "(not seen paused yet)",
					// Who refused: the valve, when jane approved (it read as if jane had refused it).
					"the safety valve, on approval by",
					// A failed probation ends by fleet-health's hand, not by the approver's.
					"fleet-health (probation);\n            approved by <span>jane</span>");
	}

	@Test
	void aWorkersHistoryIsThereForAWorkerOfTheFleetOrOneThatWasInQuarantine() {
		given(this.fleet.worker("lab", "alice-debian")).willReturn(Optional.of(mock(FleetWorker.class)));
		given(this.quarantine.history("lab", "gone")).willReturn(List.of(new QuarantineEventView(4, "released", AT,
				"jane", null)));

		assertThat(this.mvc.get().uri("/api/quarantine/workers/lab/alice-debian").exchange()).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("[]");
		assertThat(this.mvc.get().uri("/api/quarantine/workers/lab/gone").exchange()).hasStatusOk();
		assertThat(this.mvc.get().uri("/api/quarantine/workers/lab/nope").exchange()).hasStatus(HttpStatus.NOT_FOUND)
			.bodyText()
			.contains("No worker 'nope' on master 'lab'");
	}

	@Test
	void theNavigationLinksToIt() {
		assertThat(this.mvc.get().uri("/login").exchange()).bodyText().contains("href=\"/quarantine\"");
	}

	@Test
	void approvingNeedsTheFormsToken() {
		assertThat(this.mvc.post().uri("/quarantine/3/approve").with(user("maintainer").roles("MAINTAINER")).exchange())
			.hasStatus(HttpStatus.FORBIDDEN);
		then(this.quarantine).should(never()).approve(anyLong(), any());
		var result = this.mvc.post()
			.uri("/quarantine/3/approve")
			.with(user("maintainer").roles("MAINTAINER"))
			.with(csrf())
			.exchange();
		assertThat(result).hasStatus(HttpStatus.FOUND).redirectedUrl().isEqualTo("/quarantine");
		assertThat(result).flash().containsEntry("done", "Quarantine #3 (bob-freebsd on lab) is quarantined.");
	}

}
