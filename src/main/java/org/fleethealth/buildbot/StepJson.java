package org.fleethealth.buildbot;

import java.util.List;

import org.fleethealth.source.SourceStep;

import static org.fleethealth.buildbot.JsonFields.instant;
import static org.fleethealth.buildbot.JsonFields.each;
import static org.fleethealth.buildbot.JsonFields.longValue;
import static org.fleethealth.buildbot.JsonFields.text;

/** Reads the steps of one Buildbot build. */
final class StepJson {

	private StepJson() {
	}

	static List<SourceStep> steps(String body, String what) {
		int[] position = { 0 };
		return each(body, "steps", what, (node) -> {
			// A step without its number is numbered by its place in the list.
			int place = position[0]++;
			Long number = longValue(node.path("number"));
			Long results = longValue(node.path("results"));
			return new SourceStep((number != null) ? number.intValue() : place, text(node.path("name")),
					(results != null) ? results.intValue() : null, instant(node.path("complete_at")));
		}).items();
	}

}
