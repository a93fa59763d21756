package org.fleethealth.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * The database cannot be reached (PostgreSQL restarting, a network cut): {@code 503} with {@code Retry-After}, as a
 * page for a browser and a problem detail for scripts, and one log line per request rather than a stack trace.
 * Nothing is lost: schedules, the build cursor and the outbox are in the database, and the service comes back by
 * itself when it does. Spring's default was a {@code 500} with its own JSON body.
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class DatabaseDownAdvice {

	private static final Log logger = LogFactory.getLog(DatabaseDownAdvice.class);

	static final String RETRY_AFTER_SECONDS = "30";

	private final PageAdvice pages;

	DatabaseDownAdvice(PageAdvice pages) {
		this.pages = pages;
	}

	@ExceptionHandler({ CannotCreateTransactionException.class, DataAccessResourceFailureException.class })
	Object databaseDown(Exception ex, HttpServletRequest request, HttpServletResponse response) {
		logger.warn(request.getMethod() + " " + request.getRequestURI() + " answered 503: the database cannot be"
				+ " reached (" + ex.getClass().getSimpleName() + ")");
		String detail = "The database cannot be reached; nothing is lost, and fleet-health answers again by itself"
				+ " once it can. Try again in a moment.";
		response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
		if (MissingPathAdvice.wantsPage(request, request.getRequestURI())) {
			return this.pages.error(HttpStatus.SERVICE_UNAVAILABLE, detail, response);
		}
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail));
	}

}
