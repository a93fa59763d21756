package org.fleethealth.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.fleethealth.system.Durations;
import org.fleethealth.source.BuildResult;
import org.fleethealth.gate.GateFacts.StableBuilder;
import org.fleethealth.gate.GateFacts.WorkerFacts;
import org.fleethealth.health.WorkerState;

/**
 * Judges a master's stable builders for a release, first rule that applies:
 * <ol>
 * <li>a configured stable builder the master does not have (any more) is a <em>concern</em>: the list is
 * wrong, not the code;</li>
 * <li>a last build that ended in failure (2) or exception (4) is a <em>blocker</em>. Exceptions count too:
 * a release manager cannot tell from a red build whose fault it was, and the build did not show the code
 * is fine;</li>
 * <li>no connected worker: a <em>concern</em> while its master is silent (nothing can be said), or when it
 * finished a build within {@code recent-build} (CPython's release dashboard rule); otherwise a
 * <em>blocker</em>, since nothing tests the release on that platform;</li>
 * <li>no build that passed or failed yet: a <em>concern</em>;</li>
 * <li>otherwise it <em>passes</em>.</li>
 * </ol>
 * The verdict is {@code go} when there is no blocker and the stable set is not empty: with nothing known to
 * be green there is nothing to release on. Retried, skipped and cancelled builds say nothing about the code
 * and are not "last builds".
 */
class GateRules {

	static final String TAG = "tag";

	static final String CONFIGURATION = "configuration";

	private final GateProperties properties;

	GateRules(GateProperties properties) {
		this.properties = properties;
	}

	GateReport evaluate(String master, List<StableBuilder> stable, Instant now) {
		List<GateReport.Entry> blockers = new ArrayList<>();
		List<GateReport.Entry> concerns = new ArrayList<>();
		List<GateReport.Entry> passing = new ArrayList<>();
		for (StableBuilder builder : stable.stream().sorted(Comparator.comparing(StableBuilder::name)).toList()) {
			judge(master, builder, now, blockers, concerns, passing);
		}
		List<String> notes = new ArrayList<>();
		if (stable.isEmpty()) {
			notes.add("no builder of master '" + master + "' is in the stable set: tag builders '"
					+ this.properties.stableTag() + "' or list them in fleet-health.gate.stable-builders");
		}
		boolean go = blockers.isEmpty() && notes.isEmpty();
		return new GateReport(master, go ? GateVerdict.GO : GateVerdict.NO_GO, now, this.properties.stableTag(),
				stable.size(), blockers, concerns, passing, notes);
	}

	private void judge(String master, StableBuilder builder, Instant now, List<GateReport.Entry> blockers,
			List<GateReport.Entry> concerns, List<GateReport.Entry> passing) {
		GateReport.LastBuild last = builder.lastBuild();
		if (!builder.known()) {
			concerns.add(entry(builder, null, "configured as stable, but master '" + master
					+ "' has no current builder of that name"));
			return;
		}
		if (last != null && isRed(last.results())) {
			blockers.add(entry(builder, builder.lastBuildWorker(), "last build #" + last.number()
					+ (BuildResult.FAILURE.is(last.results()) ? " failed" : " ended in an exception")
					+ ((last.failingStep() != null) ? " in step '" + last.failingStep() + "'" : "")
					+ ((last.completeAt() != null) ? " at " + last.completeAt() + " (" + ago(last.completeAt(), now)
							+ " ago)" : "")));
			return;
		}
		if (builder.workers().stream().noneMatch(WorkerFacts::connected)) {
			String who = who(builder);
			if (builder.workers().stream().anyMatch((w) -> w.state() == WorkerState.UNKNOWN)) {
				concerns.add(entry(builder, firstWorker(builder),
						"master '" + master + "' is not answering, so whether " + who + " is connected is unknown"
								+ lastPassed(last, now)));
				return;
			}
			Instant finished = builder.lastFinished();
			Duration recent = this.properties.recentBuild();
			if (finished != null && !finished.isBefore(now.minus(recent))) {
				concerns.add(entry(builder, firstWorker(builder), "no worker connected (" + who
						+ "), but it finished a build " + ago(finished, now) + " ago, within " + Durations.iso(recent)));
				return;
			}
			blockers.add(entry(builder, firstWorker(builder), "no worker connected (" + who + ") and "
					+ ((finished != null)
							? "its last build finished at " + finished + " (" + ago(finished, now) + " ago), more than "
									+ Durations.iso(recent) + " ago"
							: "it has never finished a build")));
			return;
		}
		if (last == null) {
			concerns.add(entry(builder, firstWorker(builder), "no build has passed or failed yet"));
			return;
		}
		passing.add(entry(builder, builder.lastBuildWorker(), "last build #" + last.number() + " ended in "
				+ last.result() + lastAt(last, now)));
	}

	private static boolean isRed(Integer results) {
		return BuildResult.red(results);
	}

	private static String lastPassed(GateReport.LastBuild last, Instant now) {
		return (last != null) ? "; last build #" + last.number() + " ended in " + last.result() + lastAt(last, now)
				: "";
	}

	private static String lastAt(GateReport.LastBuild last, Instant now) {
		return (last.completeAt() != null) ? " " + ago(last.completeAt(), now) + " ago" : "";
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

	private static String firstWorker(StableBuilder builder) {
		return builder.workers().isEmpty() ? null : builder.workers().get(0).name();
	}

	private static String ago(Instant then, Instant now) {
		return Durations.between(then, now);
	}

	private static GateReport.Entry entry(StableBuilder builder, String worker, String reason) {
		if (worker == null) {
			worker = firstWorker(builder);
		}
		String name = worker;
		WorkerState state = Optional.ofNullable(name)
			.flatMap((n) -> builder.workers().stream().filter((w) -> w.name().equals(n)).findFirst())
			.map(WorkerFacts::state)
			.orElse(null);
		return new GateReport.Entry(builder.name(), builder.stableBecause(), reason, builder.lastBuild(), worker,
				state);
	}

}
