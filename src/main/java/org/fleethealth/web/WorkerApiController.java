package org.fleethealth.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.fleethealth.pruning.ProposalView;
import org.fleethealth.pruning.PruningService;
import org.fleethealth.pruning.ReplyService;
import org.fleethealth.pruning.ReplyView;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code /api/workers}: every worker with its state and evidence. */
@RestController
@RequestMapping("/api/workers")
class WorkerApiController {

	private final WorkerReports reports;

	private final PruningService pruning;

	private final ReplyService replies;

	private final FleetQueries fleet;

	WorkerApiController(WorkerReports reports, PruningService pruning, ReplyService replies, FleetQueries fleet) {
		this.reports = reports;
		this.pruning = pruning;
		this.replies = replies;
		this.fleet = fleet;
	}

	/**
	 * Every worker, or those of one master, in one state, or of one build class (a builder tag its builders carry,
	 * ignoring case, as on the overview page; a class no worker has answers an empty list).
	 */
	@GetMapping
	List<WorkerReport> workers(@RequestParam(required = false) String master,
			@RequestParam(required = false) WorkerState state,
			@RequestParam(name = "class", required = false) String buildClass) {
		if (master != null && !master.isBlank() && !this.fleet.masterNames().contains(master)) {
			throw WatchedMaster.unknown(master, this.fleet.masterNames());
		}
		boolean anyClass = buildClass == null || buildClass.isBlank();
		return ((master != null && !master.isBlank()) ? this.reports.workers(master) : this.reports.all()).stream()
			.filter((w) -> state == null || w.state() == state)
			.filter((w) -> anyClass || w.classes().stream().anyMatch(buildClass.strip()::equalsIgnoreCase))
			.toList();
	}

	/** The workers of one master, as {@code ?master=}. */
	@GetMapping("/{master}")
	List<WorkerReport> workersOf(@PathVariable String master, @RequestParam(required = false) WorkerState state,
			@RequestParam(name = "class", required = false) String buildClass) {
		return workers(master, state, buildClass);
	}

	@GetMapping("/{master}/{name}")
	WorkerDetail worker(@PathVariable String master, @PathVariable String name) {
		WatchedMaster.of(master, this.fleet.masterNames());
		WorkerReport report = this.reports.worker(master, name)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No worker '" + name + "' on master '" + master + "'"));
		return new WorkerDetail(report, this.replies.replies(master, name), this.pruning.proposals(master, name));
	}

	/** A worker with its owner replies and removal proposals, newest first. */
	record WorkerDetail(@JsonUnwrapped WorkerReport report, List<ReplyView> replies, List<ProposalView> proposals) {
	}

}
