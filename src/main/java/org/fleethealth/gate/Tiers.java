package org.fleethealth.gate;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.fleethealth.system.Regexes;

/**
 * What a stable builder's tier tag says about its failures: on a tier in {@code blocking-tiers} they block a
 * release, on another tier they are a concern, and without any tier they block when {@code untiered-blocks} is on.
 */
final class Tiers {

	private final List<String> blocking;

	private final List<Pattern> tierTags;

	private final boolean untieredBlocks;

	Tiers(GateProperties properties) {
		this.blocking = properties.blockingTiers().stream().map((t) -> t.toLowerCase(Locale.ROOT)).toList();
		this.tierTags = Regexes.compile("fleet-health.gate.tier-tags", properties.tierTags());
		this.untieredBlocks = properties.untieredBlocks();
	}

	/** The tier the tags name: the first blocking tier among them, else the first tier tag; {@code null}: none. */
	String tier(List<String> tags) {
		return tags.stream()
			.filter(this::isBlocking)
			.findFirst()
			.orElseGet(() -> tags.stream()
				.filter((t) -> this.tierTags.stream().anyMatch((p) -> p.matcher(t).matches()))
				.findFirst()
				.orElse(null));
	}

	/** Whether what would block on a stable builder of this tier ({@code null}: none) does block. */
	boolean blocks(String tier) {
		return (tier != null) ? isBlocking(tier) : this.untieredBlocks;
	}

	/** Why a failure on this tier does not block, for the reason shown. */
	String whyNotBlocking(String tier) {
		return (tier != null)
				? tier + " is not a blocking tier (fleet-health.gate.blocking-tiers: " + String.join(", ", this.blocking)
						+ ")"
				: "it has no tier and fleet-health.gate.untiered-blocks is false";
	}

	private boolean isBlocking(String tag) {
		return this.blocking.contains(tag.toLowerCase(Locale.ROOT));
	}

}
