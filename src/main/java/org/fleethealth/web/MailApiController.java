package org.fleethealth.web;

import org.fleethealth.mail.OnceOverService;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/mail/once-over}: queues this week's once-over digest now (maintainers only). */
@RestController
class MailApiController {

	private final OnceOverService digest;

	MailApiController(OnceOverService digest) {
		this.digest = digest;
	}

	@PostMapping("/api/mail/once-over")
	OnceOverService.Result onceOver() {
		return this.digest.run();
	}

}
