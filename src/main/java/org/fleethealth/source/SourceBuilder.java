package org.fleethealth.source;

import java.util.List;

/** A builder as its master reports it; its tags carry the build classes (gcc, clang, shared, arm64...). */
public record SourceBuilder(long id, String name, List<String> tags, String description) {

	public SourceBuilder {
		tags = List.copyOf(tags);
	}

}
