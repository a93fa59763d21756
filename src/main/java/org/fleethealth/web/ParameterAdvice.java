package org.fleethealth.web;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * A request parameter or path variable that does not convert (an unknown state or status, an id that is not a
 * number, a date that is not one) is a 400 that says why: a problem detail on the API, a friendly page for
 * pages ({@link PageAdvice}). The converters are registered once, in {@link WebConfiguration}.
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ParameterAdvice {

	private final PageAdvice pages;

	ParameterAdvice(PageAdvice pages) {
		this.pages = pages;
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	Object mismatch(MethodArgumentTypeMismatchException ex, HandlerMethod handler, HttpServletResponse response) {
		String reason = reason(ex);
		if (AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), PageController.class)) {
			return this.pages.error(HttpStatus.BAD_REQUEST, reason, response);
		}
		return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, reason));
	}

	@ExceptionHandler(RepeatedParameters.RepeatedParameterException.class)
	Object repeated(RepeatedParameters.RepeatedParameterException ex, HandlerMethod handler,
			HttpServletResponse response) {
		if (AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), PageController.class)) {
			return this.pages.error(HttpStatus.BAD_REQUEST, ex.getMessage(), response);
		}
		return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage()));
	}

	static String reason(MethodArgumentTypeMismatchException ex) {
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof WebConfiguration.BadParameterValue bad) {
				return bad.getMessage();
			}
		}
		return "'" + ex.getValue() + "' is not a valid value for '" + ex.getName() + "'" + expected(ex.getRequiredType());
	}

	/** What would do, for the types whose words alone do not say it. */
	private static String expected(Class<?> type) {
		if (type == LocalDate.class) {
			return "; expected a date as 2026-12-31";
		}
		if (type == Instant.class) {
			return "; expected an instant as 2026-12-31T12:00:00Z";
		}
		if (type != null && (Number.class.isAssignableFrom(type) || type == long.class || type == int.class)) {
			return "; expected a whole number";
		}
		return "";
	}

}
