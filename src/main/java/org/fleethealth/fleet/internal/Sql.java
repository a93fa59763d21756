package org.fleethealth.fleet.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the stores' plain SQL shares: the batch size, how an instant is bound, and (id, value) rows as a map. */
final class Sql {

	static final int BATCH = 500;

	private Sql() {
	}

	static OffsetDateTime timestamp(Instant at) {
		return (at != null) ? at.atOffset(ZoneOffset.UTC) : null;
	}

	@SuppressWarnings("unchecked")
	static <T> Map<Long, T> byId(List<Object[]> rows) {
		Map<Long, T> byId = new HashMap<>();
		for (Object[] row : rows) {
			if (row[0] != null && row[1] != null) {
				byId.put((Long) row[0], (T) row[1]);
			}
		}
		return byId;
	}

}
