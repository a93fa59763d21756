package org.fleethealth.buildbot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.fleethealth.source.SourceException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the readers that turn Buildbot data API answers into source records share ({@link WorkerJson},
 * {@link BuilderJson}, {@link BuildJson}, {@link StepJson}, {@link BuildRequestJson}, {@link MasterJson}). Lenient
 * where Buildbot versions differ (missing optional fields, {@code got_revision} as a string or a per-codebase
 * object), strict where an answer is not an answer at all (not JSON, no list): that raises a
 * {@link SourceException} so nothing is stored from it.
 */
final class JsonFields {

	private static final ObjectMapper mapper = JsonMapper.builder().build();

	private JsonFields() {
	}

	/**
	 * The records of a list answer ({@code {"<field>": [...], "meta": {"total": N}}}), read one element at a time:
	 * each element is a tree of its own, made into a record by {@code reader} (which answers {@code null} for one to
	 * skip) before the next is read. A tree of a whole answer is several times its text: at 10,000 workers tens of MB
	 * at every workers poll, beside everything else a round holds.
	 *
	 * @throws SourceException for text that is not JSON, or an answer without the list
	 */
	static <T> Listed<T> each(String body, String field, String what, Function<JsonNode, T> reader) {
		try (JsonParser parser = mapper.createParser(body)) {
			List<T> items = null;
			int size = 0;
			Long total = null;
			if (parser.nextToken() == JsonToken.START_OBJECT) {
				while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
					String name = parser.currentName();
					JsonToken value = parser.nextToken();
					if (name.equals(field) && value == JsonToken.START_ARRAY && items == null) {
						items = new ArrayList<>();
						while (parser.nextToken() != JsonToken.END_ARRAY) {
							size++;
							T item = reader.apply(parser.readValueAsTree());
							if (item != null) {
								items.add(item);
							}
						}
					}
					else if (name.equals("meta") && value == JsonToken.START_OBJECT) {
						total = longValue(parser.<JsonNode>readValueAsTree().path("total"));
					}
					else {
						parser.skipChildren();
					}
				}
			}
			if (items == null) {
				// Not the answer expected: say what came instead, from the whole text (this happens rarely).
				list(parse(body, what), field, what);
				throw new SourceException("Unexpected answer from " + what + ": no '" + field + "' list");
			}
			return new Listed<>(items, size, total);
		}
		catch (JacksonException ex) {
			throw new SourceException("Malformed JSON from " + what + ": " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * The records of a list answer.
	 *
	 * @param items the records made of its elements (those the reader skipped left out)
	 * @param size how many elements the list had
	 * @param total what {@code meta.total} said, or {@code null}
	 */
	record Listed<T>(List<T> items, int size, Long total) {

		/**
		 * A worker or builder list cut off by our own {@code limit} would make the missing ones look unconfigured:
		 * refuse it, and say which setting to raise. Cut off means as long as the limit: {@code meta.total} alone
		 * cannot tell, since Buildbot 4.x can answer a total larger than a complete list (CPython's master does). A
		 * list as long as the limit is complete only when {@code meta.total} says so.
		 */
		Listed<T> requireComplete(int limit, String field, String what) {
			if (this.size < limit || (this.total != null && this.total == this.size)) {
				return this;
			}
			throw new SourceException(what + " listed " + this.size + ((this.total != null) ? " of " + this.total : "")
					+ " " + field + ", as many as the limit sent: raise fleet-health.buildbot.max-list-size above "
					+ ((this.total != null && this.total > limit) ? this.total : limit));
		}

	}

	static JsonNode parse(String body, String what) {
		try {
			return mapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw new SourceException("Malformed JSON from " + what + ": " + ex.getOriginalMessage(), ex);
		}
	}

	static JsonNode list(JsonNode root, String field, String what) {
		JsonNode list = (root != null) ? root.path(field) : null;
		if (list == null || !list.isArray()) {
			throw new SourceException(
					"Unexpected answer from " + what + ": no '" + field + "' list in " + abbreviate(root));
		}
		return list;
	}

	static Long longValue(JsonNode node) {
		if (node == null || !node.isNumber()) {
			return null;
		}
		return node.isIntegralNumber() ? node.longValue() : (long) node.doubleValue();
	}

	static Instant instant(JsonNode node) {
		if (node == null || !node.isNumber()) {
			return null;
		}
		return Instant.ofEpochMilli(Math.round(node.doubleValue() * 1000));
	}

	static String text(JsonNode node) {
		if (node == null || !node.isString()) {
			return null;
		}
		String s = node.stringValue().trim();
		return s.isEmpty() ? null : s;
	}

	static String abbreviate(JsonNode node) {
		String s = String.valueOf(node);
		return (s.length() > 200) ? s.substring(0, 200) + "..." : s;
	}

}
