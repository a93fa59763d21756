package org.fleethealth.health;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.fleethealth.system.Regexes;
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

	/**
	 * What each tag seen so far is: a fleet has a few hundred distinct tags, and every round (and the reports and
	 * the release gate after it) asks for each of its thousands of builders' tags (matchers and lower-cased copies
	 * were a large part of what a round allocated at 10,000 workers).
	 */
	private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

	// A bound on the memo, against a master sending a new tag with every answer.
	private static final int MAX_KINDS = 10_000;

	private enum Kind {

		BRANCH, NON_CLASS, CLASS

	}

	public BuilderTags(ClassificationProperties properties) {
		this.nonClass = properties.nonClassTags()
			.stream()
			.map((s) -> s.toLowerCase(Locale.ROOT))
			.collect(Collectors.toSet());
		this.branches = Regexes.compile("fleet-health.classification.branch-tags", properties.branchTags());
	}

	/** The build classes the tags stand for, sorted. */
	public Set<String> classes(List<String> tags) {
		Set<String> classes = new TreeSet<>();
		for (String tag : tags) {
			if (kind(tag) == Kind.CLASS) {
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
		return kind(tag) == Kind.BRANCH;
	}

	private Kind kind(String tag) {
		Kind kind = this.kinds.get(tag);
		if (kind == null) {
			kind = classify(tag);
			if (this.kinds.size() < MAX_KINDS) {
				this.kinds.put(tag, kind);
			}
		}
		return kind;
	}

	// A branch tag is a branch even when it is also listed as a non-class tag.
	private Kind classify(String tag) {
		for (Pattern branch : this.branches) {
			if (branch.matcher(tag).matches()) {
				return Kind.BRANCH;
			}
		}
		return this.nonClass.contains(tag.toLowerCase(Locale.ROOT)) ? Kind.NON_CLASS : Kind.CLASS;
	}

}
