package org.fleethealth.web;

import org.fleethealth.quarantine.QuarantineService;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Gives every page the quarantine module's read side as {@code quarantine}, so the worker page can show its
 * quarantine history (see {@code fragments/extensions.html}) without its controller knowing.
 */
@ControllerAdvice(annotations = PageController.class)
class QuarantineAdvice {

	private final QuarantineService quarantine;

	QuarantineAdvice(QuarantineService quarantine) {
		this.quarantine = quarantine;
	}

	@ModelAttribute("quarantine")
	QuarantineService quarantine() {
		return this.quarantine;
	}

}
