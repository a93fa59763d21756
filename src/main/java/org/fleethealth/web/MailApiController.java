package org.fleethealth.web;

import java.util.List;

import org.fleethealth.mail.OnceOverService;
import org.fleethealth.mail.OutboxReader;
import org.fleethealth.mail.OutboxView;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /api/mail/once-over}: queues this week's once-over digest now; {@code GET /api/mail/outbox}: what was
 * and will be sent. Maintainers only: messages carry owners' addresses and reply links.
 */
@RestController
class MailApiController {

	private static final int MAX_LIMIT = 500;

	private final OnceOverService digest;

	private final OutboxReader outbox;

	MailApiController(OnceOverService digest, OutboxReader outbox) {
		this.digest = digest;
		this.outbox = outbox;
	}

	@PostMapping("/api/mail/once-over")
	OnceOverService.Result onceOver() {
		return this.digest.run();
	}

	/**
	 * The newest messages of the outbox first, {@code limit} (1 to 500, default 50) of them, of one {@code status}
	 * ({@code pending}, {@code sent}, {@code failed}) or all.
	 */
	@GetMapping("/api/mail/outbox")
	List<OutboxView> outbox(@RequestParam(required = false) String status,
			@RequestParam(defaultValue = "50") int limit) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"limit must be from 1 to " + MAX_LIMIT + ", not " + limit);
		}
		try {
			return this.outbox.newest((status == null || status.isBlank()) ? null : status, limit);
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
	}

}
