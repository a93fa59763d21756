package org.fleethealth.source;

/** One step of a build: its name and Buildbot result code ({@code null} while running). */
public record SourceStep(int number, String name, Integer results) {
}
