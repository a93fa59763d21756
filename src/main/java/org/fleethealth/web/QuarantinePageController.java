package org.fleethealth.web;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.fleethealth.quarantine.QuarantineNotFoundException;
import org.fleethealth.quarantine.QuarantineService;
import org.fleethealth.quarantine.QuarantineStatus;
import org.fleethealth.quarantine.QuarantineView;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * {@code /quarantine} (maintainers only): quarantine proposals waiting for a decision with their evidence, the
 * builders others would take over and the owner; the workers fleet-health holds paused or on probation, with a
 * release button; and the recently closed ones with why (refusals of the safety valve included).
 */
@PageController
class QuarantinePageController {

	private final QuarantineService quarantine;

	QuarantinePageController(QuarantineService quarantine) {
		this.quarantine = quarantine;
	}

	@GetMapping("/quarantine")
	String queue(Model model) {
		List<QuarantineView> all = this.quarantine.proposals(Optional.empty());
		model.addAttribute("waiting", all.stream().filter((q) -> q.status() == QuarantineStatus.PROPOSED).toList());
		model.addAttribute("held", all.stream()
			.filter((q) -> q.status() == QuarantineStatus.QUARANTINED || q.status() == QuarantineStatus.PROBATION)
			.toList());
		model.addAttribute("closed", all.stream().filter((q) -> !q.status().isOpen()).limit(20).toList());
		return "quarantine";
	}

	@PostMapping("/quarantine/{id}/approve")
	String approve(@PathVariable long id, Authentication who, RedirectAttributes redirect) {
		return decide(() -> this.quarantine.approve(existing(id), who.getName()), redirect);
	}

	@PostMapping("/quarantine/{id}/reject")
	String reject(@PathVariable long id, Authentication who, RedirectAttributes redirect) {
		return decide(() -> this.quarantine.reject(existing(id), who.getName()), redirect);
	}

	@PostMapping("/quarantine/{id}/release")
	String release(@PathVariable long id, Authentication who, RedirectAttributes redirect) {
		return decide(() -> this.quarantine.release(existing(id), who.getName()), redirect);
	}

	/** Carries out a decision and says what became of it; a closed proposal is a 409 page ({@link PageAdvice}). */
	private static String decide(Supplier<QuarantineView> decision, RedirectAttributes redirect) {
		QuarantineView q = decision.get();
		// A refusal, missing access or a failed pause is news the maintainer did not ask for: shown as a warning.
		boolean asked = q.note() == null || q.status() == QuarantineStatus.REJECTED;
		redirect.addFlashAttribute(asked ? "done" : "warning", "Quarantine #" + q.id() + " (" + q.worker() + " on "
				+ q.master() + ") is " + q.status().phrase() + ((q.note() != null) ? ": " + q.note() : "."));
		return "redirect:/quarantine";
	}

	private long existing(long id) {
		if (this.quarantine.proposal(id).isEmpty()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, new QuarantineNotFoundException(id).getMessage());
		}
		return id;
	}

}
