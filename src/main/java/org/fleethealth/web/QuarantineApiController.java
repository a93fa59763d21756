package org.fleethealth.web;

import java.security.Principal;
import java.util.List;
import java.util.Optional;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.quarantine.QuarantineConflictException;
import org.fleethealth.quarantine.QuarantineEventView;
import org.fleethealth.quarantine.QuarantineNotFoundException;
import org.fleethealth.quarantine.QuarantineService;
import org.fleethealth.quarantine.QuarantineStatus;
import org.fleethealth.quarantine.QuarantineView;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /api/quarantine}: quarantine proposals and maintainers' decisions (maintainers only, reading included).
 * An unknown number is a 404, a decision the proposal's status does not allow a 409 (problem details).
 */
@RestController
@RequestMapping("/api/quarantine")
class QuarantineApiController {

	private final QuarantineService quarantine;

	private final FleetQueries fleet;

	QuarantineApiController(QuarantineService quarantine, FleetQueries fleet) {
		this.quarantine = quarantine;
		this.fleet = fleet;
	}

	/** Every proposal, newest first; {@code status} (e.g. {@code proposed}, {@code quarantined}) filters. */
	@GetMapping("/proposals")
	List<QuarantineView> proposals(@RequestParam(required = false) QuarantineStatus status) {
		return this.quarantine.proposals(Optional.ofNullable(status));
	}

	@GetMapping("/proposals/{id}")
	QuarantineView proposal(@PathVariable long id) {
		return this.quarantine.proposal(id).orElseThrow(() -> new QuarantineNotFoundException(id));
	}

	/** Approves: the safety valve decides, then the worker is paused; the answer says which. */
	@PostMapping("/proposals/{id}/approve")
	QuarantineView approve(@PathVariable long id, Principal principal) {
		return this.quarantine.approve(id, name(principal));
	}

	@PostMapping("/proposals/{id}/reject")
	QuarantineView reject(@PathVariable long id, Principal principal) {
		return this.quarantine.reject(id, name(principal));
	}

	/** Releases a quarantined worker: unpaused, on probation. */
	@PostMapping("/proposals/{id}/release")
	QuarantineView release(@PathVariable long id, Principal principal) {
		return this.quarantine.release(id, name(principal));
	}

	/**
	 * A worker's quarantine history, newest first: every proposal, pause and release, and who did it. A 404 when
	 * the master has no such worker and never had one in quarantine (the history of a worker that left stays).
	 */
	@GetMapping("/workers/{master}/{worker}")
	List<QuarantineEventView> history(@PathVariable String master, @PathVariable String worker) {
		List<QuarantineEventView> history = this.quarantine.history(master, worker);
		if (history.isEmpty() && this.fleet.worker(master, worker).isEmpty()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No worker '" + worker + "' on master '" + master + "'");
		}
		return history;
	}

	private static String name(Principal principal) {
		return (principal != null) ? principal.getName() : "anonymous";
	}

	@ExceptionHandler(QuarantineNotFoundException.class)
	ResponseEntity<ProblemDetail> notFound(QuarantineNotFoundException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND)
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage()));
	}

	@ExceptionHandler(QuarantineConflictException.class)
	ResponseEntity<ProblemDetail> conflict(QuarantineConflictException ex) {
		return ResponseEntity.status(HttpStatus.CONFLICT)
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage()));
	}

}
