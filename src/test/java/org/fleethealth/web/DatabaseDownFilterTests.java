package org.fleethealth.web;

import jakarta.servlet.Filter;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.transaction.CannotCreateTransactionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The database down while Spring Session reads or saves the login session (outside the controllers) is a 503 with
 * Retry-After, as a page or a problem detail, not a bare 500 (a trial saw it on the login page and on every request
 * with a session cookie).
 */
class DatabaseDownFilterTests {

	private static final Filter SESSION_STORE_DOWN = (request, response, chain) -> {
		throw new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
				new IllegalStateException("Connection is not available, request timed out after 5000ms"));
	};

	private MockHttpServletResponse run(MockHttpServletRequest request, Filter next) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		new DatabaseDownFilter().doFilter(request, response, new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
		}, next));
		return response;
	}

	@Test
	void aBrowserGetsA503PageWithRetryAfter() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/login");
		request.addHeader("Accept", "text/html,application/xhtml+xml");
		MockHttpServletResponse response = run(request, SESSION_STORE_DOWN);
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("30");
		assertThat(response.getContentAsString()).contains("<h1>503 Service Unavailable</h1>",
				"The database cannot be reached");
	}

	@Test
	void aScriptGetsA503ProblemDetail() throws Exception {
		MockHttpServletResponse response = run(new MockHttpServletRequest("GET", "/api/workers"), SESSION_STORE_DOWN);
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("30");
		assertThat(response.getContentType()).startsWith("application/problem+json");
		assertThat(response.getContentAsString()).contains("\"status\":503", "The database cannot be reached");
	}

	@Test
	void otherFailuresPassThrough() {
		Filter broken = (request, response, chain) -> {
			throw new IllegalStateException("a bug");
		};
		assertThatIllegalStateException().isThrownBy(() -> run(new MockHttpServletRequest("GET", "/"), broken))
			.withMessage("a bug");
	}

}
