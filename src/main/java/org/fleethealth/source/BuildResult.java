package org.fleethealth.source;

import java.util.Locale;

/**
 * Buildbot's build and step result codes ({@code buildbot.process.results}): 0 success, 1 warnings, 2 failure,
 * 3 skipped, 4 exception, 5 retry, 6 cancelled. Stored and exchanged as the code; this names them once.
 */
public enum BuildResult {

	SUCCESS(0), WARNINGS(1), FAILURE(2), SKIPPED(3), EXCEPTION(4), RETRY(5), CANCELLED(6);

	private static final BuildResult[] BY_CODE = values();

	private final int code;

	BuildResult(int code) {
		this.code = code;
	}

	/** Buildbot's numeric code. */
	public int code() {
		return this.code;
	}

	/** The lower-case name Buildbot's UI uses ({@code success}, {@code retry}...). */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The result of a code, or {@code null} for {@code null} (still running) and codes Buildbot does not define. */
	public static BuildResult of(Integer code) {
		return (code != null && code >= 0 && code < BY_CODE.length) ? BY_CODE[code] : null;
	}

	/** The label of a code: {@code running} for {@code null}, {@code unknown (N)} for a code Buildbot does not define. */
	public static String label(Integer code) {
		if (code == null) {
			return "running";
		}
		BuildResult result = of(code);
		return (result != null) ? result.label() : "unknown (" + code + ")";
	}

	/** Whether the code is this result. */
	public boolean is(Integer code) {
		return code != null && code == this.code;
	}

	/** Success or warnings: the build passed. */
	public boolean passed() {
		return this == SUCCESS || this == WARNINGS;
	}

	/** Whether a code is success or warnings. */
	public static boolean passed(Integer code) {
		BuildResult result = of(code);
		return result != null && result.passed();
	}

	/** Success, warnings, failure or exception: the results that say something about the code. */
	public boolean decisive() {
		return passed() || this == FAILURE || this == EXCEPTION;
	}

	/** Whether a code is decisive. */
	public static boolean decisive(Integer code) {
		BuildResult result = of(code);
		return result != null && result.decisive();
	}

	/** Failure or exception: a red build on a waterfall. */
	public boolean red() {
		return this == FAILURE || this == EXCEPTION;
	}

	/** Whether a code is red. */
	public static boolean red(Integer code) {
		BuildResult result = of(code);
		return result != null && result.red();
	}

}
