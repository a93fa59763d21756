package org.fleethealth.web;

import java.util.List;
import java.util.Optional;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.gate.GateReport;
import org.fleethealth.gate.GateVerdict;
import org.fleethealth.gate.ReleaseGates;
import org.fleethealth.gate.StableSetProposal;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /api/release-gate} (per branch with {@code branch}), {@code /api/release-gate/check} for release scripts,
 * and {@code /api/stable-set/proposal}. {@code master} may be left out when only one master is watched.
 */
@RestController
class ReleaseGateApiController {

	private final ReleaseGates gates;

	private final FleetQueries fleet;

	ReleaseGateApiController(ReleaseGates gates, FleetQueries fleet) {
		this.gates = gates;
		this.fleet = fleet;
	}

	/**
	 * The gate of every branch of a master (one verdict per branch), or with {@code branch} of one branch; with
	 * whether the master answers now, since the gate is as of its last answer.
	 */
	@GetMapping("/api/release-gate")
	GateAnswer gate(@RequestParam(required = false) String master, @RequestParam(required = false) String branch) {
		String name = master(master);
		Optional<GateReport> gate = (branch == null || branch.isBlank()) ? this.gates.gate(name)
				: this.gates.gate(name, branch);
		return GateAnswer.of(gate.orElseThrow(() -> unknown(master)), this.fleet.master(name).orElse(null));
	}

	/**
	 * For release scripts: the same gate, answered {@code 200} when it is go and {@code 409} when it is no-go, so
	 * that {@code curl --fail} stops a release.
	 */
	@GetMapping("/api/release-gate/check")
	ResponseEntity<GateAnswer> check(@RequestParam(required = false) String master,
			@RequestParam(required = false) String branch) {
		GateAnswer answer = gate(master, branch);
		return ResponseEntity
			.status((answer.gate().verdict() == GateVerdict.GO) ? HttpStatus.OK : HttpStatus.CONFLICT)
			.body(answer);
	}

	/** Re-evaluates the gate now rather than after the next poll; for maintainers. */
	@PostMapping("/api/release-gate/refresh")
	GateAnswer refresh(@RequestParam(required = false) String master, @RequestParam(required = false) String branch) {
		String name = master(master);
		GateReport report = this.gates.refresh(name).orElseThrow(() -> unknown(master));
		// Every branch is evaluated; with branch the answer is that branch's, as GET /api/release-gate answers it
		// (a trial's branch was dropped without a word).
		if (branch != null && !branch.isBlank()) {
			return gate(name, branch);
		}
		return GateAnswer.of(report, this.fleet.master(name).orElse(null));
	}

	@GetMapping("/api/stable-set/proposal")
	StableSetProposal proposal(@RequestParam(required = false) String master) {
		return this.gates.proposal(master(master)).orElseThrow(() -> unknown(master));
	}

	private String master(String master) {
		return WatchedMaster.gated(master, this.gates.masters(), this.gates.ungated());
	}

	private ResponseStatusException unknown(String master) {
		return WatchedMaster.unknown(master, this.gates.masters());
	}

}
