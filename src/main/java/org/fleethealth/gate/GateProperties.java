package org.fleethealth.gate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.fleethealth.system.InvalidSettingException;
import org.fleethealth.system.PositiveDuration;
import org.fleethealth.system.Regexes;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the release gate counts as stable and how it judges it.
 *
 * @param stableTag builders with this tag are in the stable set (CPython tags them {@code stable})
 * @param stableBuilders builder names that are stable on every master, in addition to the tagged ones; {@code *}
 * makes every builder stable (but those on {@code excludedBranches})
 * @param stableBuildersByMaster builder names that are stable on one master
 * ({@code fleet-health.gate.stable-builders-by-master.<master>=a,b}), in addition to the tagged ones; {@code *} makes
 * every builder of that master stable: for a fleet without a stable tag, such as LLVM's, whose release gate is
 * otherwise empty (no-go) until builders are tagged
 * @param recentBuild a stable builder whose workers are all disconnected is only a concern, not a blocker,
 * when it finished a build within this long (CPython's release dashboard uses six hours)
 * @param stableAfter how long a builder must have been green on healthy workers to be proposed as stable
 * @param stableMinBuilds the fewest finished builds within {@code stableAfter} for that
 * @param blockingTiers the tier tags whose stable builders block a release when they fail (CPython's release
 * dashboard: {@code tier-1} and {@code tier-2})
 * @param untieredBlocks whether a failure on a stable builder without any tier tag blocks (fleets without tiers
 * keep "all green or no-go"); CPython's dashboard does not block on those
 * @param tierTags regular expressions (whole tag, case-insensitive) of the tags that name a tier, so that a builder
 * with a tier not in {@code blockingTiers} is told from one without a tier
 * @param staleAfter a stable builder that has finished no build for this long is stale: a concern, never a pass
 * (CPython's release tools use two weeks)
 * @param disconnectedBlocks whether a stable builder with no worker connected and no build within
 * {@code recentBuild} blocks; {@code false} makes it a concern, as CPython's dashboard does
 * @param excludedBranches branches (compared ignoring case) whose builders are in no stable set, gate or stable-set
 * proposal, whatever their tags: CPython tags its pull-request builders {@code stable} by tier like the others, and
 * their failures (a pull request's code) made the master's gate no-go (a trial)
 * @param stableMaxFailures how many failed builds within {@code stableAfter} (code breaks and builds the master
 * ended aside) a builder already in the stable set may have before the stable-set proposal would remove it; joining
 * needs every build green. One test that failed once proposed 83 of a CPython-shaped fleet's stable builders for
 * removal in one week (a trial), and most would have earned their place back the week after.
 * @param excludedMasters watched masters that have no release gate, stable set or stable-set proposal: LLVM's
 * staging master, where builders are tried and whose workers build on production, read no-go for good (a trial),
 * and {@code fleet_release_gate} with it
 */
@Validated
@ConfigurationProperties("fleet-health.gate")
public record GateProperties(@DefaultValue("stable") @NotBlank String stableTag, List<String> stableBuilders,
		Map<String, List<String>> stableBuildersByMaster,
		@DefaultValue("PT6H") @NotNull @PositiveDuration Duration recentBuild,
		@DefaultValue("P7D") @NotNull @PositiveDuration Duration stableAfter,
		@DefaultValue("10") @Min(1) int stableMinBuilds,
		@DefaultValue({ "tier-1", "tier-2" }) List<String> blockingTiers, @DefaultValue("true") boolean untieredBlocks,
		@DefaultValue("tier-\\d+") List<String> tierTags,
		@DefaultValue("P14D") @NotNull @PositiveDuration Duration staleAfter,
		@DefaultValue("true") boolean disconnectedBlocks, List<String> excludedBranches,
		@DefaultValue("1") @Min(0) int stableMaxFailures, List<String> excludedMasters) {

	public GateProperties {
		stableBuilders = (stableBuilders != null) ? List.copyOf(stableBuilders) : List.of();
		stableBuildersByMaster = (stableBuildersByMaster != null) ? Map.copyOf(stableBuildersByMaster) : Map.of();
		blockingTiers = (blockingTiers != null) ? blockingTiers.stream().map(String::strip).toList() : List.of();
		tierTags = (tierTags != null) ? List.copyOf(tierTags) : List.of();
		Regexes.compile("fleet-health.gate.tier-tags", tierTags);
		excludedBranches = (excludedBranches != null)
				? excludedBranches.stream().map(String::strip).filter((b) -> !b.isEmpty()).toList() : List.of();
		excludedMasters = (excludedMasters != null)
				? excludedMasters.stream().map(String::strip).filter((m) -> !m.isEmpty()).toList() : List.of();
	}

	/** Whether the master has a release gate (it is not in {@code excluded-masters}). */
	boolean gated(String master) {
		return !this.excludedMasters.contains(master);
	}

	/** Whether builders on this branch are left out of the gate ({@code excluded-branches}). */
	boolean excluded(String branch) {
		return branch != null && this.excludedBranches.stream().anyMatch(branch::equalsIgnoreCase);
	}

	/** Defaults, for tests and tools. */
	public static GateProperties defaults() {
		return new GateProperties("stable", List.of(), Map.of(), Duration.ofHours(6), Duration.ofDays(7), 10,
				List.of("tier-1", "tier-2"), true, List.of("tier-\\d+"), Duration.ofDays(14), true, List.of(), 1, List.of());
	}

	/** The same properties with other tier settings, for tests. */
	GateProperties withTiers(List<String> blocking, boolean untiered) {
		return new GateProperties(this.stableTag, this.stableBuilders, this.stableBuildersByMaster, this.recentBuild,
				this.stableAfter, this.stableMinBuilds, blocking, untiered, this.tierTags, this.staleAfter,
				this.disconnectedBlocks, this.excludedBranches, this.stableMaxFailures,
				this.excludedMasters);
	}

	/** The same properties with another {@code disconnected-blocks}, for tests. */
	GateProperties withDisconnectedBlocks(boolean blocks) {
		return new GateProperties(this.stableTag, this.stableBuilders, this.stableBuildersByMaster, this.recentBuild,
				this.stableAfter, this.stableMinBuilds, this.blockingTiers, this.untieredBlocks, this.tierTags,
				this.staleAfter, blocks, this.excludedBranches, this.stableMaxFailures,
				this.excludedMasters);
	}

	/** The same properties with other {@code excluded-branches}, for tests. */
	GateProperties withExcludedBranches(List<String> branches) {
		return new GateProperties(this.stableTag, this.stableBuilders, this.stableBuildersByMaster, this.recentBuild,
				this.stableAfter, this.stableMinBuilds, this.blockingTiers, this.untieredBlocks, this.tierTags,
				this.staleAfter, this.disconnectedBlocks, branches, this.stableMaxFailures, this.excludedMasters);
	}

	/** The same properties with another {@code stable-max-failures}, for tests. */
	GateProperties withStableMaxFailures(int failures) {
		return new GateProperties(this.stableTag, this.stableBuilders, this.stableBuildersByMaster, this.recentBuild,
				this.stableAfter, this.stableMinBuilds, this.blockingTiers, this.untieredBlocks, this.tierTags,
				this.staleAfter, this.disconnectedBlocks, this.excludedBranches, failures, this.excludedMasters);
	}

	/** The name that stands for every builder of a master in {@code stable-builders(-by-master)}. */
	static final String EVERY_BUILDER = "*";

	/**
	 * Checks that {@code stable-builders-by-master} and {@code excluded-masters} name only watched masters: a
	 * misspelled master would leave the intended one's stable set or gate as it was, without a word.
	 *
	 * @throws InvalidSettingException naming each such setting and the watched masters
	 */
	void checkMasters(List<String> watched) {
		List<String> unknown = new java.util.ArrayList<>();
		this.stableBuildersByMaster.keySet()
			.stream()
			.filter((m) -> !watched.contains(m))
			.sorted()
			.forEach((m) -> unknown.add("fleet-health.gate.stable-builders-by-master." + m + ": " + notWatched(m, watched)));
		this.excludedMasters.stream()
			.filter((m) -> !watched.contains(m))
			.forEach((m) -> unknown.add("fleet-health.gate.excluded-masters: " + notWatched(m, watched)));
		// A stable set for a master without a gate would be ignored without a word: one of the two is a mistake.
		this.excludedMasters.stream()
			.filter(this.stableBuildersByMaster::containsKey)
			.forEach((m) -> unknown.add("fleet-health.gate.stable-builders-by-master." + m + ": master '" + m
					+ "' is in fleet-health.gate.excluded-masters, which gives it no release gate or stable set"));
		if (!unknown.isEmpty()) {
			throw new InvalidSettingException(String.join("\n", unknown));
		}
	}

	private static String notWatched(String master, List<String> watched) {
		return "no watched master is called '" + master + "' ("
				+ (watched.isEmpty() ? "no master is configured" : "watched: " + String.join(", ", watched)) + ")";
	}

	/** The builder names configured as stable on a master (the global list plus the master's own). */
	Set<String> configuredStable(String master) {
		Set<String> names = new TreeSet<>(this.stableBuilders);
		names.addAll(this.stableBuildersByMaster.getOrDefault(master, List.of()));
		names.removeIf(String::isBlank);
		return names;
	}

}
