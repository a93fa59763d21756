package org.fleethealth.mail;

import java.util.List;

import org.fleethealth.pruning.ProposalKind;
import org.fleethealth.pruning.ProposalView;

/**
 * The words of the maintainers' summary of new proposals: its subject and heading name what the proposals ask for
 * (a trial's summary of proposals to hide builders was headed "removal proposals"), and each proposal whose worker
 * has a twin waiting on another master says so, since a decision on one is taken on both.
 */
final class ProposalsSummary {

	private ProposalsSummary() {
	}

	/**
	 * "[fleet-health] 1 new removal proposal on python", "... 2 new proposals to hide builders on python", or, when
	 * both kinds are new, "... 3 new proposals on python: 1 removal, 2 to hide builders".
	 */
	static String subject(String master, List<ProposalView> proposals) {
		long removals = removals(proposals);
		long hides = proposals.size() - removals;
		String n = proposals.size() + " new ";
		String s = (proposals.size() == 1) ? "" : "s";
		if (hides == 0) {
			return "[fleet-health] " + n + "removal proposal" + s + " on " + master;
		}
		if (removals == 0) {
			return "[fleet-health] " + n + "proposal" + s + " to hide builders on " + master;
		}
		return "[fleet-health] " + n + "proposals on " + master + ": " + removals + " removal"
				+ ((removals == 1) ? "" : "s") + ", " + hides + " to hide builders";
	}

	/** The summary's first words: "New removal proposals", "New proposals to hide builders" or "New proposals". */
	static String heading(List<ProposalView> proposals) {
		long removals = removals(proposals);
		if (removals == proposals.size()) {
			return "New removal proposals";
		}
		return (removals == 0) ? "New proposals to hide builders" : "New proposals";
	}

	/**
	 * What to say of a proposal's twins (the same worker's waiting proposals of its kind on other masters, not
	 * empty): "also waiting on staging (#4): the same worker; a decision on one is taken on both".
	 */
	static String twins(List<ProposalView> twins) {
		StringBuilder text = new StringBuilder("also waiting on ");
		for (int i = 0; i < twins.size(); i++) {
			ProposalView t = twins.get(i);
			text.append((i == 0) ? "" : ", ").append(t.master()).append(" (#").append(t.id()).append(')');
		}
		return text.append(": the same worker; a decision on one is taken on ")
			.append((twins.size() == 1) ? "both" : "all")
			.toString();
	}

	private static long removals(List<ProposalView> proposals) {
		return proposals.stream().filter((p) -> p.kind() == ProposalKind.REMOVE_WORKER).count();
	}

}
