package org.fleethealth.source;

import java.time.Instant;

/**
 * One step of a build.
 *
 * @param number its number within the build
 * @param name its name
 * @param results Buildbot's result code ({@link BuildResult}), {@code null} while running
 * @param completeAt when it finished, {@code null} while running (or when the source does not say)
 */
public record SourceStep(int number, String name, Integer results, Instant completeAt) {

	/** A step without a known end. */
	public SourceStep(int number, String name, Integer results) {
		this(number, name, results, null);
	}

}
