package org.fleethealth.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * A path nothing answers (no page, no API, no static file): the friendly 404 page for a browser asking for a page,
 * a problem detail for the API and for scripts. Spring's default said "No static resource workers/lab." as JSON to
 * browsers too.
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class MissingPathAdvice {

	private final PageAdvice pages;

	MissingPathAdvice(PageAdvice pages) {
		this.pages = pages;
	}

	@ExceptionHandler(NoResourceFoundException.class)
	Object missing(NoResourceFoundException ex, HttpServletRequest request, HttpServletResponse response) {
		String path = "/" + ex.getResourcePath();
		if (wantsPage(request, path)) {
			return this.pages.error(HttpStatus.NOT_FOUND, "There is no page at " + path + ".", response);
		}
		return ResponseEntity.status(HttpStatus.NOT_FOUND)
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
					"Nothing at " + path + "; the API's paths are listed in README.md, 'HTTP API'"));
	}

	/** A browser's request for a page: not under /api or /actuator, and it accepts HTML. */
	static boolean wantsPage(HttpServletRequest request, String path) {
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		return !path.startsWith("/api/") && !path.startsWith("/actuator/") && accept != null
				&& accept.contains("text/html");
	}

}
