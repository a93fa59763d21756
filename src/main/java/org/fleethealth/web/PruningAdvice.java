package org.fleethealth.web;

import org.fleethealth.pruning.PruningService;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Gives every page the pruning module's read side as {@code pruning}, so the overview and worker pages can
 * show owner replies and proposals (see {@code fragments/extensions.html}) without their controllers knowing.
 */
@ControllerAdvice(annotations = PageController.class)
class PruningAdvice {

	private final PruningService pruning;

	PruningAdvice(PruningService pruning) {
		this.pruning = pruning;
	}

	@ModelAttribute("pruning")
	PruningService pruning() {
		return this.pruning;
	}

}
