package org.fleethealth.metrics;

/** Lets tests outside this package run {@code promtool check metrics}. */
public final class PromtoolAccess {

	private PromtoolAccess() {
	}

	/** Runs {@code promtool check metrics} on an exposition; the record holds exit code and output. */
	public static Result checkMetrics(String exposition) {
		Promtool.Result r = Promtool.run(exposition, "check", "metrics");
		return new Result(r.exitCode(), r.output());
	}

	/** What promtool said. */
	public record Result(int exitCode, String output) {
	}

}
