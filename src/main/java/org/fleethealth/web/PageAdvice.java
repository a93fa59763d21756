package org.fleethealth.web;

import java.time.Clock;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;

import org.fleethealth.health.WorkerState;
import org.fleethealth.pruning.ProposalClosedException;
import org.fleethealth.quarantine.QuarantineConflictException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.ModelAndView;

/**
 * What every page gets: the time helpers and the list of states, and, when something is wrong with a
 * request, a readable page with the right status instead of a JSON problem or a stack trace. Ordered first so
 * that the problem-details advice of the API does not answer for pages.
 */
@ControllerAdvice(annotations = PageController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageAdvice {

	private final Clock clock;

	PageAdvice(Clock clock) {
		this.clock = clock;
	}

	@ModelAttribute("time")
	RelativeTime time() {
		return new RelativeTime(this.clock);
	}

	@ModelAttribute("states")
	List<WorkerState> states() {
		return List.of(WorkerState.values());
	}

	@ExceptionHandler(ResponseStatusException.class)
	ModelAndView status(ResponseStatusException ex, HttpServletResponse response) {
		return error(HttpStatus.valueOf(ex.getStatusCode().value()), ex.getReason(), response);
	}

	/** A decision on a proposal that is closed: nothing changed, and the queue shows what it is now. */
	@ExceptionHandler(ProposalClosedException.class)
	ModelAndView closed(ProposalClosedException ex, HttpServletResponse response) {
		ModelAndView page = error(HttpStatus.CONFLICT, ex.getMessage() + ": nothing was changed.", response);
		page.addObject("back", "/pruning");
		page.addObject("backLabel", "Back to the review queue");
		return page;
	}

	/** A decision on a quarantine that does not allow it: nothing changed, and the queue shows what it is now. */
	@ExceptionHandler(QuarantineConflictException.class)
	ModelAndView quarantineConflict(QuarantineConflictException ex, HttpServletResponse response) {
		ModelAndView page = error(HttpStatus.CONFLICT, ex.getMessage() + ": nothing was changed.", response);
		page.addObject("back", "/quarantine");
		page.addObject("backLabel", "Back to the quarantine queue");
		return page;
	}

	/** A parameter that does not convert is answered by {@link ParameterAdvice}, for the API too. */
	@ExceptionHandler({ MissingServletRequestParameterException.class, HandlerMethodValidationException.class })
	ModelAndView badRequest(Exception ex, HttpServletResponse response) {
		String message = (ex instanceof MissingServletRequestParameterException missing)
				? "the parameter '" + missing.getParameterName() + "' is missing" : "the request is not valid";
		return error(HttpStatus.BAD_REQUEST, message, response);
	}

	/** A friendly page with the status, for {@link ParameterAdvice} too. */
	ModelAndView error(HttpStatus status, String message, HttpServletResponse response) {
		ModelAndView page = new ModelAndView("error", status);
		page.addObject("status", status.value());
		page.addObject("error", status.getReasonPhrase());
		page.addObject("message", message);
		page.addObject("time", time());
		page.addObject("states", states());
		response.setStatus(status.value());
		return page;
	}

}
