package org.fleethealth.gate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fleethealth.gate.GateFacts.BuildFacts;
import org.fleethealth.gate.GateFacts.StableBuilder;
import org.fleethealth.system.Durations;

/**
 * Judges a master's stable builders for a release, branch by branch, first rule that applies (one method each):
 * <ol>
 * <li>{@link #unknownBuilder}: a configured stable builder the master does not have (any more) is a concern: the
 * list is wrong, not the code;</li>
 * <li>{@link BuildRules#codeFailure}: the last build that tested the code (builds the classifier counts against
 * their host, and builds ended by the master, are passed over) failed or ended in an exception: a blocker, saying why
 * it is the code's (it failed on a healthy worker, the same revision failed on its peers too, or a failing
 * streak);</li>
 * <li>{@link WorkerRules#masterSilent}: no worker connected while the master is silent: a concern, nothing can be
 * said;</li>
 * <li>{@link WorkerRules#paused}: every worker that serves it is paused (in Buildbot, quarantined, or in a planned
 * downtime): a concern, never a pass;</li>
 * <li>{@link WorkerRules#servedElsewhere}: no worker connected here, but one connected to another watched master
 * under the same name (LLVM's staging and production): a concern, not a blocker;</li>
 * <li>{@link WorkerRules#disconnected}: no worker connected: a concern when it finished a build within
 * {@code recent-build} (CPython's release dashboard rule), else a blocker (a concern with
 * {@code disconnected-blocks=false});</li>
 * <li>{@link WorkerRules#stale}: no finished build for {@code stale-after}: a concern, never a pass;</li>
 * <li>{@link BuildRules#hostFailure}: the last build was counted against its host: a concern naming the host, its
 * state and the peer build that passed, and what to do;</li>
 * <li>{@link BuildRules#neverTested}: no build has passed or failed yet (or every one was ended by the master): a
 * concern;</li>
 * <li>{@link BuildRules#passing}: otherwise it passes.</li>
 * </ol>
 * What would block is a concern on a stable builder whose tier does not block ({@link Tiers}). A branch's verdict
 * is {@code go} when none of its stable builders blocks and one of them has tested the code; a master's is {@code go} when no
 * branch's is no-go and the stable set is not empty: with nothing known to be green there is nothing to release
 * on.
 */
class GateRules {

	static final String TAG = "tag";

	static final String CONFIGURATION = "configuration";

	private final GateProperties properties;

	private final Tiers tiers;

	private final WorkerRules workers;

	/** The rules in order; the first that finds something decides. */
	private final List<Rule> rules;

	GateRules(GateProperties properties) {
		this.properties = properties;
		this.tiers = new Tiers(properties);
		this.workers = new WorkerRules(properties);
		this.rules = List.of(this::unknownBuilder, BuildRules::codeFailure, this.workers::masterSilent,
				this.workers::paused, this.workers::servedElsewhere, this.workers::disconnected, this.workers::stale,
				BuildRules::hostFailure, BuildRules::neverTested, BuildRules::passing);
	}

	/** The gate of a master whose builders were read: one verdict per branch, and the master's. */
	GateReport evaluate(String master, List<StableBuilder> stable, Instant now) {
		return evaluate(master, stable, now, true);
	}

	/**
	 * The gate of a master: one verdict per branch, and the master's. {@code buildersRead} is whether a builders poll
	 * of the master has succeeded: until then an empty stable set says nothing of its tags or configuration.
	 */
	GateReport evaluate(String master, List<StableBuilder> stable, Instant now, boolean buildersRead) {
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
		// Configured names the master has no builder of are concerns (above), not stable builders: a stable set of
		// those alone has nothing in it that could be green.
		if (byBranch.isEmpty() && !buildersRead) {
			notes.add("master '" + master + "' has not answered fleet-health's builds poll yet: its builders, and so its"
					+ " stable set, are not known (its last error: the front page, /api/masters)");
		}
		else if (byBranch.isEmpty()) {
			notes.add("no builder of master '" + master + "' is in the stable set: tag builders '"
					+ this.properties.stableTag() + "', or list them in fleet-health.gate.stable-builders (every"
					+ " master) or fleet-health.gate.stable-builders-by-master." + master + " ('*': all of its"
					+ " builders); a master without releases of its own (a staging master) can go in"
					+ " fleet-health.gate.excluded-masters");
		}
		boolean go = blockers.isEmpty() && notes.isEmpty()
				&& branches.stream().allMatch((b) -> b.verdict() == GateVerdict.GO);
		int builders = (int) stable.stream().filter(StableBuilder::known).map(StableBuilder::name).distinct().count();
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
		// A branch none of whose stable builders ever tested the code (none built it yet, or each build was the
		// host's or ended by the master) is no-go, not go for want of a blocker: nothing on it is known to be green.
		List<String> notes = stable.stream().noneMatch((b) -> BuildRules.tested(b) != null)
				? List.of("no stable builder of branch '" + branch + "' has tested the code yet: nothing on it is known"
						+ " to be green")
				: List.of();
		return new GateReport.BranchGate(branch,
				(blockers.isEmpty() && notes.isEmpty()) ? GateVerdict.GO : GateVerdict.NO_GO, stable.size(), blockers,
				concerns, passing, notes);
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

	// ---- the rule about the stable list itself (the rules about builds are in BuildRules, about workers in
	// WorkerRules)

	Finding unknownBuilder(Case c) {
		if (c.builder().known()) {
			return null;
		}
		return new Finding(Kind.CONCERN, Cause.UNKNOWN_BUILDER,
				"configured as stable, but master '" + c.master() + "' has no current builder of that name", null,
				null, "correct fleet-health.gate.stable-builders");
	}

	private static String firstWorker(StableBuilder builder) {
		return builder.workers().isEmpty() ? null : builder.workers().get(0).name();
	}

	/** One rule: what it finds about a builder, or {@code null} when it does not apply. */
	@FunctionalInterface
	interface Rule {

		Finding apply(Case c);

	}

	/** The builder being judged, with its master and "now". */
	record Case(String master, StableBuilder builder, Instant now) {

		/** How long before "now" {@code then} was. */
		String ago(Instant then) {
			return Durations.between(then, this.now);
		}

		/** " 2h ago" when the build completed, else nothing. */
		String lastAt(BuildFacts b) {
			return (b.build().completeAt() != null) ? " " + ago(b.build().completeAt()) + " ago" : "";
		}

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
