package org.fleethealth.health;

import java.util.List;

/** A rule that fired, and the evidence lines that prove it. */
record Finding(Rule rule, List<String> lines) {

	Finding(Rule rule, String line) {
		this(rule, List.of(line));
	}

}
