package org.fleethealth.gate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
 * @param stableBuilders builder names that are stable on every master, in addition to the tagged ones
 * @param stableBuildersByMaster builder names that are stable on one master
 * ({@code fleet-health.gate.stable-builders-by-master.<master>=a,b}), in addition to the tagged ones
 * @param recentBuild a stable builder whose workers are all disconnected is only a concern, not a blocker,
 * when it finished a build within this long (CPython's release dashboard uses six hours)
 * @param stableAfter how long a builder must have been green on healthy workers to be proposed as stable
 * @param stableMinBuilds the fewest finished builds within {@code stableAfter} for that
 */
@Validated
@ConfigurationProperties("fleet-health.gate")
public record GateProperties(@DefaultValue("stable") @NotBlank String stableTag, List<String> stableBuilders,
		Map<String, List<String>> stableBuildersByMaster, @DefaultValue("PT6H") @NotNull Duration recentBuild,
		@DefaultValue("P7D") @NotNull Duration stableAfter, @DefaultValue("10") @Min(1) int stableMinBuilds) {

	public GateProperties {
		stableBuilders = (stableBuilders != null) ? List.copyOf(stableBuilders) : List.of();
		stableBuildersByMaster = (stableBuildersByMaster != null) ? Map.copyOf(stableBuildersByMaster) : Map.of();
	}

	/** Defaults, for tests and tools. */
	public static GateProperties defaults() {
		return new GateProperties("stable", List.of(), Map.of(), Duration.ofHours(6), Duration.ofDays(7), 10);
	}

	/** The builder names configured as stable on a master (the global list plus the master's own). */
	Set<String> configuredStable(String master) {
		Set<String> names = new TreeSet<>(this.stableBuilders);
		names.addAll(this.stableBuildersByMaster.getOrDefault(master, List.of()));
		names.removeIf(String::isBlank);
		return names;
	}

}
