package org.fleethealth.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A buildbot-worker version as workers report it: {@code 3.7.0}, {@code 3.11.1.dev14}, {@code 4.0.0rc1},
 * {@code v2.8.4}. Versions that say nothing about age are unknown, never "very old": a date
 * ({@code 2025.07.13}, a packager's snapshot), {@code 0.0.0} (a build from a source tree), text, or nothing.
 */
final class WorkerVersion implements Comparable<WorkerVersion> {

	private static final Pattern PART = Pattern.compile("(\\d+)|([a-z]+)(\\d*)");

	// Longer numbers are no version part (and would overflow a long).
	private static final int MAX_DIGITS = 18;

	// Pre-releases sort below the release they lead to; post-releases above it.
	private static final List<String> PRE = List.of("dev", "a", "alpha", "b", "beta", "c", "pre", "rc");

	private final String raw;

	private final List<long[]> parts;

	private WorkerVersion(String raw, List<long[]> parts) {
		this.raw = raw;
		this.parts = parts;
	}

	/** The version, or {@code null} when it is unknown (missing, a date, 0.0.0, or not a version). */
	static WorkerVersion parse(String raw) {
		if (raw == null) {
			return null;
		}
		String s = raw.strip().toLowerCase(Locale.ROOT);
		if (s.startsWith("v")) {
			s = s.substring(1);
		}
		if (s.isEmpty() || !Character.isDigit(s.charAt(0))) {
			return null;
		}
		List<long[]> parts = new ArrayList<>();
		for (String piece : s.split("[.\\-+_]")) {
			Matcher m = PART.matcher(piece);
			int at = 0;
			while (at < piece.length()) {
				if (!m.find(at) || m.start() != at || tooLong(m)) {
					return null;
				}
				parts.add(part(m));
				at = m.end();
			}
		}
		if (parts.isEmpty() || parts.get(0)[0] != 0 || isDate(parts) || isZero(parts)) {
			return null;
		}
		return new WorkerVersion(raw, parts);
	}

	// {0, n} a number; {-1 - rank, n} a pre-release tag; {1, n} any other tag (post, patch...).
	private static long[] part(Matcher m) {
		if (m.group(1) != null) {
			return new long[] { 0, Long.parseLong(m.group(1)) };
		}
		int rank = PRE.indexOf(m.group(2));
		long n = m.group(3).isEmpty() ? 0 : Long.parseLong(m.group(3));
		return (rank >= 0) ? new long[] { -1 - (PRE.size() - rank), n } : new long[] { 1, n };
	}

	private static boolean tooLong(Matcher m) {
		String digits = (m.group(1) != null) ? m.group(1) : m.group(3);
		return digits.length() > MAX_DIGITS;
	}

	private static boolean isDate(List<long[]> parts) {
		return parts.get(0)[0] == 0 && parts.get(0)[1] >= 1990;
	}

	private static boolean isZero(List<long[]> parts) {
		return parts.stream().allMatch((p) -> p[0] == 0 && p[1] == 0);
	}

	@Override
	public int compareTo(WorkerVersion other) {
		int n = Math.max(this.parts.size(), other.parts.size());
		for (int i = 0; i < n; i++) {
			long[] p = (i < this.parts.size()) ? this.parts.get(i) : new long[] { 0, 0 };
			long[] q = (i < other.parts.size()) ? other.parts.get(i) : new long[] { 0, 0 };
			int c = (p[0] != q[0]) ? Long.compare(p[0], q[0]) : Long.compare(p[1], q[1]);
			if (c != 0) {
				return c;
			}
		}
		return 0;
	}

	@Override
	public String toString() {
		return this.raw;
	}

}
