package org.fleethealth.gate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Branches in the order release managers read them, newest first: the development head ({@code 3.x},
 * {@code main}, {@code master}, {@code trunk}), then versioned branches by version, descending ({@code 3.15},
 * {@code 3.14}, ..., {@code 3.9}; {@code release/19.x}), then the others by name ({@code PullRequest}), and last the
 * builders whose branch nothing names ({@link #NONE}).
 */
final class Branches {

	/** The branch of a builder whose tags name none and whose builds carry no {@code branch} property. */
	static final String NONE = "none";

	private static final Set<String> HEADS = Set.of("main", "master", "trunk", "default", "develop", "development");

	private static final Pattern HEAD_VERSION = Pattern.compile("v?\\d+(\\.\\d+)*\\.x", Pattern.CASE_INSENSITIVE);

	private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+)*");

	/** Newest first. */
	static final Comparator<String> NEWEST_FIRST = Comparator.comparingInt(Branches::group)
		.thenComparing(Branches::version, Branches::descending)
		.thenComparing(String.CASE_INSENSITIVE_ORDER)
		.thenComparing(Comparator.naturalOrder());

	private Branches() {
	}

	private static int group(String branch) {
		if (NONE.equals(branch)) {
			return 3;
		}
		if (HEADS.contains(branch.toLowerCase(Locale.ROOT)) || HEAD_VERSION.matcher(branch).matches()) {
			return 0;
		}
		return version(branch).isEmpty() ? 2 : 1;
	}

	/** The last version number in the name ({@code release/3.14} is 3, 14), or empty. */
	private static List<Integer> version(String branch) {
		Matcher m = VERSION.matcher(branch);
		String last = null;
		while (m.find()) {
			last = m.group();
		}
		List<Integer> parts = new ArrayList<>();
		if (last != null) {
			for (String part : last.split("\\.")) {
				parts.add((part.length() > 9) ? Integer.MAX_VALUE : Integer.parseInt(part));
			}
		}
		return parts;
	}

	private static int descending(List<Integer> a, List<Integer> b) {
		for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
			int c = Integer.compare(b.get(i), a.get(i));
			if (c != 0) {
				return c;
			}
		}
		return Integer.compare(b.size(), a.size());
	}

}
