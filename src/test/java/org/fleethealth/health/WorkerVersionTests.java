package org.fleethealth.health;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Worker versions as workers report them; those that say nothing about age are unknown. */
class WorkerVersionTests {

	@Test
	void comparesNumericallyAndPreReleasesBelowTheRelease() {
		assertThat(WorkerVersion.parse("3.10.0")).isGreaterThan(WorkerVersion.parse("3.7.0"));
		assertThat(WorkerVersion.parse("2.8.4")).isLessThan(WorkerVersion.parse("3.7.0"));
		assertThat(WorkerVersion.parse("3.7.0")).isEqualByComparingTo(WorkerVersion.parse("v3.7.0"));
		assertThat(WorkerVersion.parse("3.7.0.dev14")).isLessThan(WorkerVersion.parse("3.7.0"));
		assertThat(WorkerVersion.parse("4.0.0rc1")).isLessThan(WorkerVersion.parse("4.0.0"));
		assertThat(WorkerVersion.parse("4.0.0rc1")).isGreaterThan(WorkerVersion.parse("4.0.0.dev3"));
		assertThat(WorkerVersion.parse("3.7")).isEqualByComparingTo(WorkerVersion.parse("3.7.0"));
		assertThat(WorkerVersion.parse("3.11.1.post2")).isGreaterThan(WorkerVersion.parse("3.11.1"));
		// A version part longer than a long does not overflow: it is not a version.
		assertThat(WorkerVersion.parse("3.12345678901234567890.0")).isNull();
	}

	@Test
	void datesZeroesTextAndNothingAreUnknown() {
		assertThat(WorkerVersion.parse("2025.07.13")).isNull();
		assertThat(WorkerVersion.parse("0.0.0")).isNull();
		assertThat(WorkerVersion.parse("0")).isNull();
		assertThat(WorkerVersion.parse(null)).isNull();
		assertThat(WorkerVersion.parse("")).isNull();
		assertThat(WorkerVersion.parse("unknown")).isNull();
		assertThat(WorkerVersion.parse("latest (git)")).isNull();
	}

}
