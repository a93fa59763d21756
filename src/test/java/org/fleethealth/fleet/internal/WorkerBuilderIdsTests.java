package org.fleethealth.fleet.internal;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** How a worker's stored, comma-separated id lists (builders, master processes) are read. */
class WorkerBuilderIdsTests {

	@Test
	void readsTheStoredListAsASetOfIds() {
		assertThat(Worker.builderIds("3,17,170")).containsExactlyInAnyOrder(3L, 17L, 170L);
		assertThat(Worker.builderIds("")).isEmpty();
		assertThat(Worker.builderIds(null)).isEmpty();
	}

	@Test
	void theSameTextGivesTheSameImmutableSetWithoutParsingAgain() {
		Set<Long> first = Worker.builderIds(new String("5,6,7"));
		Set<Long> again = Worker.builderIds(new String("5,6,7"));

		assertThat(again).isSameAs(first);
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> first.add(8L));
	}

	@Test
	void aDifferentListIsADifferentSet() {
		assertThat(Worker.builderIds("5,6")).containsExactlyInAnyOrder(5L, 6L).isNotSameAs(Worker.builderIds("5,6,7"));
	}

}
