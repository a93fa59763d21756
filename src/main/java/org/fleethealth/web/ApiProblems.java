package org.fleethealth.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's refusals by Spring Security as problem details ({@code application/problem+json}), like its other
 * errors: {@code 401} without credentials (with the {@code WWW-Authenticate} challenge for HTTP Basic), {@code 403}
 * without the role, or for a cross-site write without a CSRF token. Spring Security's defaults went through the
 * error page, a JSON of another shape.
 */
final class ApiProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String realm;

	ApiProblems(String realm) {
		this.realm = realm;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + this.realm + "\"");
		// Spring Security calls this for a wrong password too: say which it was.
		boolean sent = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
		write(response, HttpStatus.UNAUTHORIZED, sent
				? "The credentials given were not accepted: HTTP Basic with a configured user and its password"
				: "Credentials are needed: HTTP Basic with a configured user");
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
			throws IOException {
		write(response, HttpStatus.FORBIDDEN, (ex instanceof CsrfException)
				? "A cross-site write needs a CSRF token; send the request from a script, or from fleet-health's pages"
				: "This needs a maintainer (role MAINTAINER)");
	}

	/**
	 * Writes a problem detail of the shape Spring MVC writes for the API's other errors ({@code title},
	 * {@code status}, {@code detail}; its default {@code type}, {@code about:blank}, left out as Spring leaves it out).
	 * Written outside Spring MVC (these run in the security filters), with Jackson doing the escaping.
	 */
	static void write(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		// JSON is UTF-8; the servlet container's default for a writer is ISO-8859-1.
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("title", status.getReasonPhrase());
		problem.put("status", status.value());
		problem.put("detail", detail);
		response.getWriter().write(JSON.writeValueAsString(problem));
	}

}
