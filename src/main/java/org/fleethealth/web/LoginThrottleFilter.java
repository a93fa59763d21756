package org.fleethealth.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.www.BasicAuthenticationConverter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a login, before any password is checked, while its client or user name has had too many failed logins
 * ({@link LoginThrottle}): {@code 429} with {@code Retry-After} in seconds. On the API, a request with HTTP
 * Basic credentials gets a problem detail; on the pages, the login form's {@code POST /login} gets the error page.
 */
class LoginThrottleFilter extends OncePerRequestFilter {

	private final LoginThrottle throttle;

	private final boolean form;

	private final BasicAuthenticationConverter basic = new BasicAuthenticationConverter();

	/**
	 * @param form {@code true} for the pages' login form, {@code false} for HTTP Basic on the API
	 */
	LoginThrottleFilter(LoginThrottle throttle, boolean form) {
		this.throttle = throttle;
		this.form = form;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!isLogin(request)) {
			chain.doFilter(request, response);
			return;
		}
		String client = request.getRemoteAddr();
		Optional<Duration> wait = this.throttle.refused(client, user(request));
		if (wait.isEmpty()) {
			chain.doFilter(request, response);
			return;
		}
		this.throttle.throttled(this.form ? "form" : "basic", client);
		long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
		String detail = "Too many failed logins; try again in " + seconds + " s";
		response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
		if (this.form) {
			response.sendError(HttpStatus.TOO_MANY_REQUESTS.value(), detail);
			return;
		}
		ApiProblems.write(response, HttpStatus.TOO_MANY_REQUESTS, detail);
	}

	private boolean isLogin(HttpServletRequest request) {
		if (this.form) {
			return "POST".equals(request.getMethod()) && isLoginForm(request);
		}
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
	}

	/** Whether the request is to the login form's path, {@code /login}. */
	static boolean isLoginForm(HttpServletRequest request) {
		return request.getRequestURI().substring(request.getContextPath().length()).equals("/login");
	}

	/** The user name the request logs in as, {@code null} if it cannot be read (then only the client counts). */
	private String user(HttpServletRequest request) {
		if (this.form) {
			return request.getParameter("username");
		}
		try {
			UsernamePasswordAuthenticationToken token = this.basic.convert(request);
			return (token != null) ? token.getName() : null;
		}
		catch (AuthenticationException ex) {
			return null;
		}
	}

}
