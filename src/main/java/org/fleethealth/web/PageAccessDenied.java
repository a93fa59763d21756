package org.fleethealth.web;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.csrf.CsrfException;

/**
 * A page or page write refused: a browser gets the error page, anything else a problem detail saying why. A script that posted to a page's form URL without
 * the form's CSRF token (curl to {@code /pruning/3/approve}) got a 403 that said nothing of why; it is told, in a
 * problem detail, and pointed to the API, which needs no token.
 */
final class PageAccessDenied implements AccessDeniedHandler {

	private final AccessDeniedHandler pages = new AccessDeniedHandlerImpl();

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
			throws IOException, ServletException {
		if (ex instanceof CsrfException && !asksForHtml(request)) {
			ApiProblems.write(response, HttpStatus.FORBIDDEN, "The forms of fleet-health's pages carry a CSRF token,"
					+ " and this request had none (or an old one). From a script, use the API with HTTP Basic, which"
					+ " needs none: POST /api/pruning/proposals/{id}/approve, /reject or /snooze?until=YYYY-MM-DD,"
					+ " /api/quarantine/proposals/{id}/approve, /reject or /release, /api/release-gate/refresh?master="
					+ " (see the README's API section)");
			return;
		}
		if (!asksForHtml(request)) {
			// A script with a session (or curl's */*) gets the API's kind of answer, not Boot's bare error JSON.
			ApiProblems.write(response, HttpStatus.FORBIDDEN, "This needs a user with the MAINTAINER role"
					+ user(request) + ": changes, the quarantine pages and the outbox are for maintainers only");
			return;
		}
		this.pages.handle(request, response, ex);
	}

	private static String user(HttpServletRequest request) {
		return (request.getUserPrincipal() != null) ? " ('" + request.getUserPrincipal().getName() + "' has not)"
				: " (none is logged in)";
	}

	private static boolean asksForHtml(HttpServletRequest request) {
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		return accept != null && MediaType.parseMediaTypes(accept).stream()
			.anyMatch((type) -> type.isCompatibleWith(MediaType.TEXT_HTML) && !type.isWildcardType());
	}

}
