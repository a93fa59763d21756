package org.fleethealth.buildbot;

import java.util.ArrayList;
import java.util.List;

import org.fleethealth.source.SourceStep;
import tools.jackson.databind.JsonNode;

import static org.fleethealth.buildbot.JsonFields.instant;
import static org.fleethealth.buildbot.JsonFields.list;
import static org.fleethealth.buildbot.JsonFields.longValue;
import static org.fleethealth.buildbot.JsonFields.text;

/** Reads the steps of one Buildbot build. */
final class StepJson {

	private StepJson() {
	}

	static List<SourceStep> steps(String body, String what) {
		List<SourceStep> steps = new ArrayList<>();
		for (JsonNode node : list(body, "steps", what)) {
			Long number = longValue(node.path("number"));
			Long results = longValue(node.path("results"));
			steps.add(new SourceStep((number != null) ? number.intValue() : steps.size(), text(node.path("name")),
					(results != null) ? results.intValue() : null, instant(node.path("complete_at"))));
		}
		return steps;
	}

}
