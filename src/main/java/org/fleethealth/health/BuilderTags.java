package org.fleethealth.health;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * What a builder's tags say: its branch (a tag matching {@code fleet-health.classification.branch-tags}, as
 * CPython's {@code 3.x}, {@code 3.14}, {@code PullRequest}) and its build classes (every other tag but the
 * {@code non-class-tags}, as {@code stable} or {@code tier-1}). A branch is never a build class: it would make
 * every worker of that branch every other's peer, across platforms.
 */
@Component
public final class BuilderTags {

	private final Set<String> nonClass;

	private final List<Pattern> branches;

	public BuilderTags(ClassificationProperties properties) {
		this.nonClass = properties.nonClassTags()
			.stream()
			.map((s) -> s.toLowerCase(Locale.ROOT))
			.collect(Collectors.toSet());
		this.branches = properties.branchTags()
			.stream()
			.map((regex) -> Pattern.compile(regex, Pattern.CASE_INSENSITIVE))
			.toList();
	}

	/** The build classes the tags stand for, sorted. */
	public Set<String> classes(List<String> tags) {
		Set<String> classes = new TreeSet<>();
		for (String tag : tags) {
			if (!this.nonClass.contains(tag.toLowerCase(Locale.ROOT)) && !isBranch(tag)) {
				classes.add(tag);
			}
		}
		return classes;
	}

	/** The branch the tags name (the first tag that names one), or {@code null}. */
	public String branch(List<String> tags) {
		return tags.stream().filter(this::isBranch).findFirst().orElse(null);
	}

	/** Whether a tag names a branch. */
	public boolean isBranch(String tag) {
		return this.branches.stream().anyMatch((p) -> p.matcher(tag).matches());
	}

}
