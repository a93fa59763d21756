package org.fleethealth.web;

import java.util.ArrayList;
import java.util.List;

import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.fleet.MasterStatus;
import org.fleethealth.gate.GateReport;
import org.fleethealth.gate.ReleaseGates;
import org.fleethealth.gate.StableSetProposal;
import org.springframework.security.core.Authentication;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code /release-gate}: go or no-go per master and per branch at a glance (one card per branch, newest first;
 * {@code ?branch=} for one), the reasons, and the stable-set proposal.
 */
@PageController
class ReleaseGateController {

	private final ReleaseGates gates;

	private final FleetQueries fleet;

	ReleaseGateController(ReleaseGates gates, FleetQueries fleet) {
		this.gates = gates;
		this.fleet = fleet;
	}

	@GetMapping("/release-gate")
	String gate(@RequestParam(required = false) String master, @RequestParam(required = false) String branch,
			Model model) {
		List<String> masters = (master != null && !master.isBlank())
				? List.of(WatchedMaster.gated(master, this.gates.masters(), this.gates.ungated())) : this.gates.masters();
		boolean oneBranch = branch != null && !branch.isBlank();
		List<Panel> panels = new ArrayList<>();
		for (String m : masters) {
			GateReport gate = (oneBranch ? this.gates.gate(m, branch) : this.gates.gate(m)).orElseThrow();
			MasterStatus source = this.fleet.master(m).orElse(null);
			panels.add(new Panel(gate, this.gates.proposal(m).orElseThrow(),
					(source != null && !source.up()) ? source : null));
		}
		model.addAttribute("panels", panels);
		model.addAttribute("masterNames", this.gates.masters());
		model.addAttribute("ungated", this.gates.ungated());
		model.addAttribute("selected", (masters.size() == 1 && master != null) ? masters.get(0) : null);
		model.addAttribute("branch", oneBranch ? branch : null);
		return "release-gate";
	}

	/** Re-evaluates a master's gate now, for a maintainer who does not want to wait for the next poll. */
	@PostMapping("/release-gate/refresh")
	String refresh(@RequestParam(required = false) String master, @RequestParam(required = false) String branch,
			Authentication who, RedirectAttributes redirect) {
		master = WatchedMaster.gated(master, this.gates.masters(), this.gates.ungated());
		GateReport report = this.gates.refresh(master).orElseThrow();
		boolean oneBranch = branch != null && !branch.isBlank();
		// On a branch's page, that branch's verdict: the master's beside a GO card read as a contradiction (a trial).
		GateReport shown = oneBranch ? this.gates.gate(master, branch).orElse(report) : report;
		redirect.addFlashAttribute("refreshed", who.getName() + " re-evaluated the release gate of '" + master + "'"
				+ ": " + (oneBranch ? "branch '" + branch.strip() + "' " : "") + shown.verdict() + " ("
				+ shown.blockers().size() + " blocking, " + shown.concerns().size()
				+ ((shown.concerns().size() == 1) ? " concern, " : " concerns, ") + shown.passing().size()
				+ " passing)");
		redirect.addFlashAttribute("refreshedAt", report.evaluatedAt());
		UriComponentsBuilder page = UriComponentsBuilder.fromPath("/release-gate").queryParam("master", master);
		if (oneBranch) {
			page.queryParam("branch", branch);
		}
		return "redirect:" + page.encode()
			.build()
			.toUriString();
	}

	/**
	 * One master's gate and stable-set proposal.
	 *
	 * @param silent the master's poll state while it does not answer, else {@code null}: the gate is then as of
	 * its last answer, and the page says so (a new user's finding: "Evaluated just now" beside a master that was
	 * down)
	 */
	public record Panel(GateReport gate, StableSetProposal proposal, MasterStatus silent) {
	}

}
