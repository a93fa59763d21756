package org.fleethealth.web;

import org.fleethealth.pruning.PruningService;
import org.fleethealth.pruning.ReplyService;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Gives every page the pruning module's read side as {@code pruning} (proposals) and {@code ownerReplies} (owners'
 * replies), so the overview and worker pages can show them (see {@code fragments/extensions.html}) without their
 * controllers knowing.
 */
@ControllerAdvice(annotations = PageController.class)
class PruningAdvice {

	private final PruningService pruning;

	private final ReplyService replies;

	PruningAdvice(PruningService pruning, ReplyService replies) {
		this.pruning = pruning;
		this.replies = replies;
	}

	@ModelAttribute("pruning")
	PruningService pruning() {
		return this.pruning;
	}

	@ModelAttribute("ownerReplies")
	ReplyService ownerReplies() {
		return this.replies;
	}

}
