package org.fleethealth.web;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import org.fleethealth.pruning.ReplyService;
import org.fleethealth.pruning.ReplyService.LinkCheck;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Owner reply links. GET only shows a confirmation page (mail scanners open every link); the POST from that
 * page records the reply. A bad, expired or used link gets a page that says so.
 */
@PageController
class ReplyController {

	private final ReplyService replies;

	private final Clock clock;

	ReplyController(ReplyService replies, Clock clock) {
		this.replies = replies;
		this.clock = clock;
	}

	@GetMapping("/replies/{token}")
	String confirm(@PathVariable String token, Model model, HttpServletResponse response) {
		LinkCheck check = this.replies.check(token);
		if (check.status() != LinkCheck.Status.VALID) {
			return invalid(check, model, response);
		}
		return form(check, token, model);
	}

	@PostMapping("/replies/{token}")
	String record(@PathVariable String token, @RequestParam(required = false) String backBy,
			@RequestParam(required = false) String note, Model model, HttpServletResponse response) {
		LocalDate date = null;
		if (backBy != null && !backBy.isBlank()) {
			try {
				date = LocalDate.parse(backBy.strip());
			}
			catch (DateTimeParseException ex) {
				// 2026-02-30 has the form but names no day: "as YYYY-MM-DD" would send the owner looking at the form.
				String error = DateInput.hasDateForm(backBy)
						? "There is no day " + backBy.strip() + ": please give a date that exists, as YYYY-MM-DD."
						: "Please give the date as YYYY-MM-DD.";
				return retry(token, error, backBy, note, model, response);
			}
		}
		LinkCheck result;
		try {
			result = this.replies.redeem(token, date, note);
		}
		catch (IllegalArgumentException ex) {
			return retry(token, ex.getMessage(), backBy, note, model, response);
		}
		if (result.status() != LinkCheck.Status.RECORDED) {
			return invalid(result, model, response);
		}
		model.addAttribute("link", result);
		model.addAttribute("backBy", date);
		return "replies/done";
	}

	/** The form again, with the error and what the owner typed: nothing they wrote is lost. */
	private String retry(String token, String error, String backBy, String note, Model model,
			HttpServletResponse response) {
		response.setStatus(HttpStatus.BAD_REQUEST.value());
		model.addAttribute("error", error);
		model.addAttribute("enteredBackBy", backBy);
		model.addAttribute("enteredNote", note);
		LinkCheck check = this.replies.check(token);
		if (check.status() != LinkCheck.Status.VALID) {
			return invalid(check, model, response);
		}
		return form(check, token, model);
	}

	private String form(LinkCheck check, String token, Model model) {
		model.addAttribute("link", check);
		model.addAttribute("token", token);
		model.addAttribute("heading", check.action().title());
		model.addAttribute("defaultDate", LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC).plusDays(7));
		LocalDate today = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		model.addAttribute("today", today);
		// As ReplyService takes it: a "back by" date within a year.
		model.addAttribute("lastDate", today.plusYears(1));
		model.addAttribute("maxNote", ReplyService.MAX_NOTE);
		return "replies/confirm";
	}

	private static String invalid(LinkCheck check, Model model, HttpServletResponse response) {
		String why = switch (check.status()) {
			case USED -> "This link was already used on " + check.usedAt()
					+ ". Each reply link works once; the reply it carried is recorded.";
			case EXPIRED -> "This link expired on " + check.expiresAt()
					+ ". The next once-over mail will carry fresh links.";
			default -> "This link is not valid. It may have been mistyped or cut off by your mail program.";
		};
		response.setStatus((check.status() == LinkCheck.Status.UNKNOWN) ? HttpStatus.NOT_FOUND.value()
				: HttpStatus.GONE.value());
		model.addAttribute("why", why);
		model.addAttribute("link", check);
		return "replies/invalid";
	}

}
