package org.fleethealth.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.fleethealth.gate.GateFacts.BuildFacts;
import org.fleethealth.gate.GateFacts.StableBuilder;
import org.fleethealth.gate.GateFacts.WorkerFacts;
import org.fleethealth.gate.GateRules.Case;
import org.fleethealth.gate.GateRules.Finding;
import org.fleethealth.gate.GateRules.Kind;
import org.fleethealth.health.WorkerState;
import org.fleethealth.system.Durations;

/**
 * The gate rules about whether anything tests the release on a stable builder now ({@link GateRules} orders them):
 * its master is silent, every worker that serves it is paused, none is connected, or it has finished no build for
 * {@code stale-after}. One method per rule; each returns the finding, or {@code null} when the rule does not apply.
 */
final class WorkerRules {

	private final GateProperties properties;

	WorkerRules(GateProperties properties) {
		this.properties = properties;
	}

	Finding masterSilent(Case c) {
		StableBuilder b = c.builder();
		if (anyConnected(b) || b.workers().stream().noneMatch((w) -> w.state() == WorkerState.UNKNOWN)) {
			return null;
		}
		BuildFacts last = b.last();
		return new Finding(Kind.CONCERN, Cause.NO_WORKER, "master '" + c.master()
				+ "' is not answering, so whether " + names(b) + ((b.workers().size() == 1) ? " is" : " are")
				+ " connected is unknown"
				+ ((last != null) ? "; last build #" + last.build().number() + " ended in " + last.build().result()
						+ c.lastAt(last) : ""),
				last, null, null);
	}

	Finding paused(Case c) {
		StableBuilder b = c.builder();
		if (b.workers().isEmpty() || b.workers().stream().anyMatch((w) -> w.state() != WorkerState.PAUSED)) {
			return null;
		}
		return new Finding(Kind.CONCERN, Cause.PAUSED, "paused: every worker that serves it is paused ("
				+ String.join(", ", b.workers().stream().map(WorkerFacts::name).toList())
				+ "), so nothing tests the release there for now", b.last(), null,
				"unpause a worker of it, or wait for its planned downtime to end");
	}

	/**
	 * No worker connected here, but one is connected to another watched master under the same name (LLVM's staging
	 * master while its workers serve production): the builder is tested there, not missing. A concern.
	 */
	Finding servedElsewhere(Case c) {
		StableBuilder b = c.builder();
		List<String> away = b.workers()
			.stream()
			.filter((w) -> !w.connected() && !w.connectedElsewhere().isEmpty())
			.map((w) -> w.name() + " is connected to master '" + String.join("', '", w.connectedElsewhere()) + "'")
			.toList();
		if (anyConnected(b) || away.isEmpty()) {
			return null;
		}
		return new Finding(Kind.CONCERN, Cause.NO_WORKER, "no worker connected to master '" + c.master() + "' ("
				+ String.join(", ", away) + "), so nothing tests the release on this master's copy of it now",
				b.last(), null, "nothing, if the release is judged on the other master; else connect a worker here");
	}

	Finding disconnected(Case c) {
		StableBuilder b = c.builder();
		if (anyConnected(b)) {
			return null;
		}
		Instant finished = b.lastFinished();
		Duration recent = this.properties.recentBuild();
		String action = "connect a worker for it: " + who(b);
		if (finished != null && !finished.isBefore(c.now().minus(recent))) {
			return new Finding(Kind.CONCERN, Cause.NO_WORKER, "no worker connected (" + who(b)
					+ "), but it finished a build " + c.ago(finished) + " ago, within " + Durations.human(recent),
					b.last(), null, action);
		}
		String reason = "no worker connected (" + who(b) + ") and " + ((finished != null)
				? "its last build finished at " + finished + " (" + c.ago(finished) + " ago), more than "
						+ Durations.human(recent) + " ago"
				: "it has never finished a build");
		if (!this.properties.disconnectedBlocks()) {
			return new Finding(Kind.CONCERN, Cause.NO_WORKER,
					reason + " (fleet-health.gate.disconnected-blocks is false)", b.last(), null, action);
		}
		return new Finding(Kind.BLOCKER, Cause.NO_WORKER, reason + ": nothing tests the release there", b.last(), null,
				action);
	}

	Finding stale(Case c) {
		StableBuilder b = c.builder();
		Duration after = this.properties.staleAfter();
		Instant finished = b.lastFinished();
		if (finished != null && finished.isAfter(c.now().minus(after))) {
			return null;
		}
		return new Finding(Kind.CONCERN, Cause.STALE,
				"stale: " + ((finished != null) ? "it has finished no build for " + c.ago(finished) + " (since "
						+ finished + "), more than " + Durations.human(after) : "it has never finished a build"),
				b.last(), null, "have it build the branch again, or take it out of the stable set");
	}

	// ---- helpers

	private static boolean anyConnected(StableBuilder b) {
		return b.workers().stream().anyMatch(WorkerFacts::connected);
	}

	/** "alice, bob and carol". */
	private static String names(StableBuilder builder) {
		List<String> names = builder.workers().stream().map(WorkerFacts::name).toList();
		return (names.size() == 1) ? names.get(0)
				: String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
	}

	private static String who(StableBuilder builder) {
		if (builder.workers().isEmpty()) {
			return "no worker is configured for it";
		}
		return String.join(", ", builder.workers()
			.stream()
			.map((w) -> w.name() + " is " + (w.state() == WorkerState.OFFLINE ? "offline" : "disconnected"))
			.toList());
	}

}
