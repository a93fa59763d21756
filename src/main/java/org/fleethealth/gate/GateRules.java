package org.fleethealth.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fleethealth.gate.GateFacts.BuildFacts;
import org.fleethealth.gate.GateFacts.StableBuilder;
import org.fleethealth.gate.GateFacts.WorkerFacts;
import org.fleethealth.health.Outcome;
import org.fleethealth.health.WorkerState;
import org.fleethealth.source.BuildResult;
import org.fleethealth.system.Durations;

/**
 * Judges a master's stable builders for a release, branch by branch, first rule that applies (one method each):
 * <ol>
 * <li>{@link #unknownBuilder}: a configured stable builder the master does not have (any more) is a concern: the
 * list is wrong, not the code;</li>
 * <li>{@link #codeFailure}: the last build that tested the code (builds the classifier counts against their host,
 * and builds ended by the master, are passed over) failed or ended in an exception: a blocker, saying why it is the
 * code's (it failed on a healthy worker, the same revision failed on its peers too, or a failing streak);</li>
 * <li>{@link #masterSilent}: no worker connected while the master is silent: a concern, nothing can be said;</li>
 * <li>{@link #paused}: every worker that serves it is paused (in Buildbot, quarantined, or in a planned downtime):
 * a concern, never a pass;</li>
 * <li>{@link #disconnected}: no worker connected: a concern when it finished a build within {@code recent-build}
 * (CPython's release dashboard rule), else a blocker (a concern with {@code disconnected-blocks=false});</li>
 * <li>{@link #stale}: no finished build for {@code stale-after}: a concern, never a pass;</li>
 * <li>{@link #hostFailure}: the last build was counted against its host: a concern naming the host, its state and
 * the peer build that passed, and what to do;</li>
 * <li>{@link #neverTested}: no build has passed or failed yet (or every one was ended by the master): a
 * concern;</li>
 * <li>{@link #passing}: otherwise it passes.</li>
 * </ol>
 * What would block is a concern on a stable builder whose tier does not block ({@link Tiers}). A branch's verdict
 * is {@code go} when none of its stable builders blocks; a master's is {@code go} when no branch's is no-go and the
 * stable set is not empty: with nothing known to be green there is nothing to release on.
 */
class GateRules {

	static final String TAG = "tag";

	static final String CONFIGURATION = "configuration";

	private final GateProperties properties;

	private final Tiers tiers;

	/** The rules in order; the first that finds something decides. */
	private final List<Rule> rules = List.of(this::unknownBuilder, this::codeFailure, this::masterSilent,
			this::paused, this::disconnected, this::stale, this::hostFailure, this::neverTested, this::passing);

	GateRules(GateProperties properties) {
		this.properties = properties;
		this.tiers = new Tiers(properties);
	}

	/** The gate of a master: one verdict per branch, and the master's. */
	GateReport evaluate(String master, List<StableBuilder> stable, Instant now) {
		Map<String, List<StableBuilder>> byBranch = new LinkedHashMap<>();
		List<StableBuilder> unknown = new ArrayList<>();
		stable.stream().sorted(Comparator.comparing(StableBuilder::name)).forEach((b) -> {
			if (b.known()) {
				byBranch.computeIfAbsent(b.branch(), (k) -> new ArrayList<>()).add(b);
			}
			else {
				unknown.add(b);
			}
		});
		List<GateReport.BranchGate> branches = new ArrayList<>();
		List<GateReport.Entry> blockers = new ArrayList<>();
		List<GateReport.Entry> concerns = new ArrayList<>();
		List<GateReport.Entry> passing = new ArrayList<>();
		for (String branch : byBranch.keySet().stream().sorted(Branches.NEWEST_FIRST).toList()) {
			GateReport.BranchGate gate = branch(master, branch, byBranch.get(branch), now);
			branches.add(gate);
			blockers.addAll(gate.blockers());
			concerns.addAll(gate.concerns());
			passing.addAll(gate.passing());
		}
		unknown.forEach((b) -> concerns.add(judge(master, b, now).entry()));
		List<String> notes = new ArrayList<>();
		if (stable.isEmpty()) {
			notes.add("no builder of master '" + master + "' is in the stable set: tag builders '"
					+ this.properties.stableTag() + "' or list them in fleet-health.gate.stable-builders");
		}
		boolean go = blockers.isEmpty() && notes.isEmpty();
		int builders = (int) stable.stream().map(StableBuilder::name).distinct().count();
		return new GateReport(master, go ? GateVerdict.GO : GateVerdict.NO_GO, now, this.properties.stableTag(),
				builders, blockers, concerns, passing, notes, null, branches);
	}

	private GateReport.BranchGate branch(String master, String branch, List<StableBuilder> stable, Instant now) {
		List<GateReport.Entry> blockers = new ArrayList<>();
		List<GateReport.Entry> concerns = new ArrayList<>();
		List<GateReport.Entry> passing = new ArrayList<>();
		for (StableBuilder builder : stable) {
			Judged judged = judge(master, builder, now);
			switch (judged.kind()) {
				case BLOCKER -> blockers.add(judged.entry());
				case CONCERN -> concerns.add(judged.entry());
				case PASSING -> passing.add(judged.entry());
			}
		}
		return new GateReport.BranchGate(branch, blockers.isEmpty() ? GateVerdict.GO : GateVerdict.NO_GO,
				stable.size(), blockers, concerns, passing, List.of());
	}

	/** The first rule that finds something, with what its tier makes of a blocker. */
	Judged judge(String master, StableBuilder builder, Instant now) {
		Case c = new Case(master, builder, now);
		Finding finding = this.rules.stream()
			.map((rule) -> rule.apply(c))
			.filter((f) -> f != null)
			.findFirst()
			.orElseThrow();
		String tier = this.tiers.tier(builder.tags());
		Kind kind = finding.kind();
		String reason = finding.reason();
		if (kind == Kind.BLOCKER && !this.tiers.blocks(tier)) {
			kind = Kind.CONCERN;
			reason = reason + "; this does not block a release: " + this.tiers.whyNotBlocking(tier);
		}
		BuildFacts build = finding.build();
		String worker = (build != null && build.worker() != null) ? build.worker() : firstWorker(builder);
		GateReport.Entry entry = new GateReport.Entry(builder.name(), builder.stableBecause(), reason,
				(build != null) ? build.build() : null, worker, (worker != null) ? builder.stateOf(worker) : null,
				finding.cause(), builder.branch(), tier, (build != null) ? build.outcome() : null,
				(build != null) ? build.judgement() : null, finding.peer(), finding.action());
		return new Judged(kind, entry);
	}

	// ---- the rules, in order

	Finding unknownBuilder(Case c) {
		if (c.builder().known()) {
			return null;
		}
		return new Finding(Kind.CONCERN, Cause.UNKNOWN_BUILDER,
				"configured as stable, but master '" + c.master() + "' has no current builder of that name", null,
				null, "correct fleet-health.gate.stable-builders");
	}

	Finding codeFailure(Case c) {
		BuildFacts tested = tested(c.builder());
		if (tested == null || !BuildResult.red(tested.build().results())) {
			return null;
		}
		StringBuilder reason = new StringBuilder(describe(tested, c)).append(": ").append(whyCode(tested, c));
		BuildFacts last = c.builder().last();
		if (last != tested && last.hostFailure()) {
			reason.append("; the later build #")
				.append(last.build().number())
				.append(" on ")
				.append(last.worker())
				.append(" failed too, and is counted against that host");
		}
		return new Finding(Kind.BLOCKER, Cause.CODE, reason.toString(), tested, null,
				"fix the code on branch '" + c.builder().branch() + "'");
	}

	Finding masterSilent(Case c) {
		StableBuilder b = c.builder();
		if (anyConnected(b) || b.workers().stream().noneMatch((w) -> w.state() == WorkerState.UNKNOWN)) {
			return null;
		}
		BuildFacts last = b.last();
		return new Finding(Kind.CONCERN, Cause.NO_WORKER, "master '" + c.master()
				+ "' is not answering, so whether " + who(b) + " is connected is unknown"
				+ ((last != null) ? "; last build #" + last.build().number() + " ended in " + last.build().result()
						+ lastAt(last, c.now()) : ""),
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
					+ "), but it finished a build " + ago(finished, c.now()) + " ago, within " + Durations.iso(recent),
					b.last(), null, action);
		}
		String reason = "no worker connected (" + who(b) + ") and " + ((finished != null)
				? "its last build finished at " + finished + " (" + ago(finished, c.now()) + " ago), more than "
						+ Durations.iso(recent) + " ago"
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
				"stale: " + ((finished != null) ? "it has finished no build for " + ago(finished, c.now()) + " (since "
						+ finished + "), more than " + Durations.iso(after) : "it has never finished a build"),
				b.last(), null, "have it build the branch again, or take it out of the stable set");
	}

	Finding hostFailure(Case c) {
		StableBuilder b = c.builder();
		BuildFacts last = b.last();
		if (last == null || !last.hostFailure()) {
			return null;
		}
		BuildFacts peer = b.builds()
			.stream()
			.filter((x) -> x.passed() && x.worker() != null && !x.worker().equals(last.worker()))
			.findFirst()
			.orElse(null);
		String host = (last.worker() != null) ? last.worker() : "its worker";
		WorkerState state = (last.worker() != null) ? b.stateOf(last.worker()) : null;
		String reason = describe(last, c) + ", which the classifier counts against that host"
				+ ((last.judgement() != null) ? ": " + last.judgement() : "")
				+ ((peer != null) ? "; #" + peer.build().number() + " passed on " + peer.worker() + lastAt(peer, c.now())
						: "; no build of it on another worker passed in the window")
				+ " (the host's failure, not the code's)";
		GateReport.PeerBuild peerBuild = (peer != null) ? new GateReport.PeerBuild(peer.build().number(),
				peer.worker(), peer.build().url(), peer.build().completeAt(), peer.build().revision()) : null;
		return new Finding(Kind.CONCERN, Cause.HOST, reason, last, peerBuild,
				"fix the host " + host + ((state != null) ? " (" + state + ")" : "") + ", or take it off '" + b.name()
						+ "' (the stable-set proposal lists '" + b.name() + "' under remove)");
	}

	Finding neverTested(Case c) {
		StableBuilder b = c.builder();
		if (tested(b) != null) {
			return null;
		}
		return new Finding(Kind.CONCERN, Cause.STALE,
				b.builds().isEmpty() ? "no build has passed or failed yet"
						: "no build has tested the code yet: its master ended every one (interrupted)",
				b.last(), null, null);
	}

	Finding passing(Case c) {
		BuildFacts tested = tested(c.builder());
		BuildFacts last = c.builder().last();
		return new Finding(Kind.PASSING, null, "last build #" + tested.build().number() + " ended in "
				+ tested.build().result() + lastAt(tested, c.now())
				+ ((last != tested) ? "; #" + last.build().number() + " after it was ended by its master" : ""),
				tested, null, null);
	}

	// ---- helpers

	/** The last build that tested the code: not counted against its host, not ended by the master. */
	private static BuildFacts tested(StableBuilder builder) {
		return builder.builds()
			.stream()
			.filter((b) -> !b.hostFailure() && b.outcome() != Outcome.INTERRUPTED)
			.findFirst()
			.orElse(null);
	}

	/** "last build #7 failed in step 'test' on alice-debian (healthy) at ... (1h ago)". */
	private static String describe(BuildFacts b, Case c) {
		GateReport.LastBuild last = b.build();
		boolean newest = b == c.builder().last();
		String worker = (b.worker() != null) ? " on " + b.worker() + state(c.builder().stateOf(b.worker())) : "";
		return (newest ? "last build #" : "build #") + last.number()
				+ (BuildResult.EXCEPTION.is(last.results()) ? " ended in an exception" : " failed")
				+ ((last.failingStep() != null) ? " in step '" + last.failingStep() + "'" : "") + worker
				+ ((last.completeAt() != null)
						? " at " + last.completeAt() + " (" + ago(last.completeAt(), c.now()) + " ago)" : "");
	}

	/** Why a failure that tested the code is the code's: the words a blocker owes a release manager. */
	private static String whyCode(BuildFacts failed, Case c) {
		if (failed.outcome() == Outcome.CODE_BREAK) {
			return "the code's: the same revision failed on its peers too"
					+ ((failed.judgement() != null) ? " (" + failed.judgement() + ")" : "");
		}
		if (failed.outcome() == null) {
			return "the code's until shown otherwise: the classifier has not judged it (its failing step is still "
					+ "to be read, or it is older than the classification window)";
		}
		List<BuildFacts> streak = streak(c.builder(), failed);
		Set<String> workers = new LinkedHashSet<>();
		streak.forEach((b) -> workers.add((b.worker() != null) ? b.worker() + state(c.builder().stateOf(b.worker()))
				: "an unknown worker"));
		boolean healthy = streak.stream()
			.allMatch((b) -> b.worker() != null && c.builder().stateOf(b.worker()) == WorkerState.HEALTHY);
		String where = String.join(", ", workers);
		if (streak.size() > 1) {
			return "the code's: the builder failed its last " + streak.size() + " builds, on " + where
					+ " (a failing streak), none counted against its host";
		}
		return healthy ? "the code's: it failed on a healthy worker, " + where
				: "the code's: the classifier does not count it against the host of " + where;
	}

	/** The failures that tested the code in a row, from the given one back (host failures passed over). */
	private static List<BuildFacts> streak(StableBuilder builder, BuildFacts from) {
		List<BuildFacts> streak = new ArrayList<>();
		boolean started = false;
		for (BuildFacts b : builder.builds()) {
			started |= b == from;
			if (!started || b.hostFailure() || b.outcome() == Outcome.INTERRUPTED) {
				continue;
			}
			if (!BuildResult.red(b.build().results())) {
				break;
			}
			streak.add(b);
		}
		return streak;
	}

	private static boolean anyConnected(StableBuilder b) {
		return b.workers().stream().anyMatch(WorkerFacts::connected);
	}

	private static String state(WorkerState state) {
		return (state != null) ? " (" + state + ")" : "";
	}

	private static String lastAt(BuildFacts b, Instant now) {
		return (b.build().completeAt() != null) ? " " + ago(b.build().completeAt(), now) + " ago" : "";
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

	/** One rule: what it finds about a builder, or {@code null} when it does not apply. */
	@FunctionalInterface
	interface Rule {

		Finding apply(Case c);

	}

	/** The builder being judged, with its master and "now". */
	record Case(String master, StableBuilder builder, Instant now) {
	}

	/** Where a builder ends up. */
	enum Kind {

		BLOCKER, CONCERN, PASSING

	}

	/**
	 * What a rule found.
	 *
	 * @param build the build the finding rests on, or {@code null}
	 * @param peer for a host's failure, the peer build that passed
	 * @param action what to do, or {@code null}
	 */
	record Finding(Kind kind, Cause cause, String reason, BuildFacts build, GateReport.PeerBuild peer,
			String action) {
	}

	/** A builder's place in the gate and its entry. */
	record Judged(Kind kind, GateReport.Entry entry) {
	}

}
