package org.fleethealth.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.Ordered;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The database cannot be reached where {@link DatabaseDownAdvice} does not see it: the login session is read and
 * written by Spring Session's filter ({@code spring_session}), outside the controllers, so with the database down
 * the login page and every request carrying a {@code SESSION} cookie answered a bare {@code 500}. This filter runs
 * before Spring Session's and answers those with the same {@code 503} and {@code Retry-After}, as long as nothing of
 * the response was sent yet.
 */
class DatabaseDownFilter extends OncePerRequestFilter implements Ordered {

	private static final Log logger = LogFactory.getLog(DatabaseDownFilter.class);

	static final String DETAIL = "The database cannot be reached; nothing is lost, and fleet-health answers again by"
			+ " itself once it can. Try again in a moment.";

	@Override
	public int getOrder() {
		return SessionRepositoryFilter.DEFAULT_ORDER - 10;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (ServletException | RuntimeException ex) {
			if (!databaseDown(ex) || response.isCommitted()) {
				throw ex;
			}
			logger.warn(request.getMethod() + " " + request.getRequestURI() + " answered 503: the database cannot be"
					+ " reached for the login session (" + ex.getClass().getSimpleName() + ")");
			response.reset();
			response.setHeader(HttpHeaders.RETRY_AFTER, DatabaseDownAdvice.RETRY_AFTER_SECONDS);
			if (MissingPathAdvice.wantsPage(request, request.getRequestURI())) {
				response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
				response.setContentType("text/html");
				response.setCharacterEncoding(StandardCharsets.UTF_8.name());
				response.getWriter()
					.write("<!DOCTYPE html><html lang=\"en\"><head><title>503 · fleet-health</title></head><body>"
							+ "<h1>503 Service Unavailable</h1><p>" + DETAIL + "</p></body></html>");
			}
			else {
				ApiProblems.write(response, HttpStatus.SERVICE_UNAVAILABLE, DETAIL);
			}
		}
	}

	/** Whether the failure, or one of its causes, is the database not answering. */
	static boolean databaseDown(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof CannotCreateTransactionException
					|| cause instanceof DataAccessResourceFailureException) {
				return true;
			}
		}
		return false;
	}

}
