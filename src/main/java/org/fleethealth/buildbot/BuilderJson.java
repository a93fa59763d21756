package org.fleethealth.buildbot;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.source.SourceBuilder;
import tools.jackson.databind.JsonNode;

import static org.fleethealth.buildbot.JsonFields.abbreviate;
import static org.fleethealth.buildbot.JsonFields.each;
import static org.fleethealth.buildbot.JsonFields.longValue;
import static org.fleethealth.buildbot.JsonFields.text;

/** Reads Buildbot's builders list, with each builder's tags. */
final class BuilderJson {

	private static final Log logger = LogFactory.getLog(BuilderJson.class);

	private BuilderJson() {
	}

	/**
	 * The builders of a list answer.
	 *
	 * @param limit the {@code limit} the request sent, to tell a list cut off by it
	 */
	static List<SourceBuilder> builders(String body, String what, int limit) {
		return each(body, "builders", what, (node) -> builder(node, what)).requireComplete(limit, "builders", what)
			.items();
	}

	private static SourceBuilder builder(JsonNode node, String what) {
		Long id = longValue(node.path("builderid"));
		String name = text(node.path("name"));
		if (id == null || name == null) {
			logger.warn("Skipping a builder without builderid or name in " + what + ": " + abbreviate(node));
			return null;
		}
		List<String> tags = new ArrayList<>();
		for (JsonNode tag : node.path("tags")) {
			String t = text(tag);
			if (t != null) {
				tags.add(t);
			}
		}
		return new SourceBuilder(id, name, tags, text(node.path("description")));
	}

}
