package org.fleethealth.web;

import java.security.Principal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import org.fleethealth.pruning.ProposalClosedException;
import org.fleethealth.pruning.ProposalNotFoundException;
import org.fleethealth.pruning.ProposalStatus;
import org.fleethealth.pruning.ProposalView;
import org.fleethealth.pruning.PruningService;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code /api/pruning}: removal proposals, maintainers' decisions, and the export of approved removals. */
@RestController
@RequestMapping("/api/pruning")
class PruningApiController {

	private final PruningService pruning;

	private final ApprovedRemovals approved;

	PruningApiController(PruningService pruning, ApprovedRemovals approved) {
		this.pruning = pruning;
		this.approved = approved;
	}

	@GetMapping("/proposals")
	List<ProposalView> proposals(@RequestParam(required = false) ProposalStatus status) {
		return this.pruning.proposals(Optional.ofNullable(status));
	}

	@GetMapping("/proposals/{id}")
	ProposalView proposal(@PathVariable long id) {
		return this.pruning.proposal(id).orElseThrow(() -> new ProposalNotFoundException(id));
	}

	@PostMapping("/proposals/{id}/approve")
	Decided approve(@PathVariable long id, Principal principal) {
		List<ProposalView> twins = this.pruning.twins(id);
		return Decided.of(this.pruning.approve(id, name(principal)), twins);
	}

	@PostMapping("/proposals/{id}/reject")
	Decided reject(@PathVariable long id, Principal principal) {
		List<ProposalView> twins = this.pruning.twins(id);
		return Decided.of(this.pruning.reject(id, name(principal)), twins);
	}

	/** Takes back an approved proposal not carried out yet (its worker came back), and its approved twins. */
	@PostMapping("/proposals/{id}/withdraw")
	Decided withdraw(@PathVariable long id, Principal principal) {
		List<ProposalView> twins = this.pruning.twins(id);
		return Decided.of(this.pruning.withdraw(id, name(principal)), twins);
	}

	@PostMapping("/proposals/{id}/snooze")
	Decided snooze(@PathVariable long id,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate until, Principal principal) {
		List<ProposalView> twins = this.pruning.twins(id);
		try {
			return Decided.of(this.pruning.snooze(id, until, name(principal)), twins);
		}
		catch (IllegalArgumentException ex) {
			// A date that is not in the future.
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
	}

	/** Approved removals for whoever edits the master configuration: JSON, or plain text ({@link ApprovedRemovals}). */
	@GetMapping(value = "/export", produces = MediaType.APPLICATION_JSON_VALUE)
	List<ApprovedRemovals.Approved> export(@RequestParam(required = false) String format) {
		checkFormat(format, "json");
		return this.approved.list();
	}

	/** A {@code format} other than the one asked for by the mapping answers 400 rather than JSON taken for it. */
	private static void checkFormat(String format, String expected) {
		if (format != null && !format.equals(expected)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"format must be 'json' or 'text' (or leave it out and ask by Accept), not '" + format + "'");
		}
	}

	@GetMapping(value = "/export", params = "format=text", produces = MediaType.TEXT_PLAIN_VALUE)
	String exportTextByParameter() {
		return exportText();
	}

	@GetMapping(value = "/export", produces = MediaType.TEXT_PLAIN_VALUE)
	String exportText(@RequestParam(required = false) String format) {
		checkFormat(format, "text");
		return exportText();
	}

	private String exportText() {
		List<ApprovedRemovals.Approved> approved = this.approved.list();
		if (approved.isEmpty()) {
			return "# No approved removals.\n";
		}
		return "# Approved in fleet-health (by a maintainer, or by the owner's reply: each says who);"
				+ " edit the master configuration accordingly.\n"
				+ approved.stream().map(PruningApiController::line).collect(Collectors.joining());
	}

	private static String line(ApprovedRemovals.Approved approved) {
		ProposalView p = approved.proposal();
		String what = switch (p.kind()) {
			case REMOVE_WORKER -> "remove worker " + p.worker() + " and its builders";
			case HIDE_BUILDERS -> "hide the builders of " + p.worker();
		};
		StringBuilder line = new StringBuilder("[" + p.master() + "] " + what + "\n");
		p.builders().forEach((b) -> line.append("    builder: ").append(b).append('\n'));
		if (p.builders().isEmpty()) {
			line.append("    builders: none known to fleet-health (see the master's configuration)\n");
		}
		line.append("    reason: ").append(p.reason()).append('\n');
		line.append("    approved by ").append(p.decidedBy()).append(" on ").append(p.decidedAt()).append('\n');
		if (approved.workerState() != null) {
			line.append("    worker now: ").append(approved.workerState()).append('\n');
		}
		if (approved.ownerReply() != null) {
			line.append("    owner replied since: ").append(approved.ownerReply()).append('\n');
		}
		if (approved.caution() != null) {
			line.append("    caution: ").append(approved.caution()).append('\n');
		}
		return line.toString();
	}

	/**
	 * A decided proposal, as the API answered before, and the ids of the same worker's proposals on other watched
	 * masters that the decision took too ({@link PruningService#twins}; a trial's script learned of them only by
	 * reading them again).
	 */
	record Decided(@JsonUnwrapped ProposalView proposal, List<Long> alsoDecided) {

		static Decided of(ProposalView proposal, List<ProposalView> twins) {
			return new Decided(proposal, twins.stream().map(ProposalView::id).toList());
		}

	}

	private static String name(Principal principal) {
		return (principal != null) ? principal.getName() : "anonymous";
	}

	@ExceptionHandler(ProposalNotFoundException.class)
	ResponseEntity<org.springframework.http.ProblemDetail> notFound(ProposalNotFoundException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND)
			.body(org.springframework.http.ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage()));
	}

	@ExceptionHandler(ProposalClosedException.class)
	ResponseEntity<org.springframework.http.ProblemDetail> conflict(ProposalClosedException ex) {
		return ResponseEntity.status(HttpStatus.CONFLICT)
			.body(org.springframework.http.ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage()));
	}

}
