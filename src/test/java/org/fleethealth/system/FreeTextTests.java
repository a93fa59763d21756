package org.fleethealth.system;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Text from outside made storable ({@link FreeText#fit}) or readable in a bound ({@link FreeText#abbreviate}). */
class FreeTextTests {

	@Test
	void fitCutsToTheBoundWithoutNulOrHalfASurrogatePair() {
		assertThat(FreeText.fit("ab\0cd", 10)).isEqualTo("abcd");
		assertThat(FreeText.fit("abcdef", 4)).isEqualTo("abcd");
		assertThat(FreeText.fit("abc\uD83D\uDE00", 4)).isEqualTo("abc");
		assertThat(FreeText.fit(null, 4)).isNull();
	}

	@Test
	void abbreviateEndsAtAWordAndSaysItWasCut() {
		assertThat(FreeText.abbreviate("short enough", 20)).isEqualTo("short enough");
		String evidence = "6 of 6 builds in the last 7d were host failures; 'ppc64le gcc 3.14' #9 on 321150cd4608, with more";
		String cut = FreeText.abbreviate(evidence, 60);
		assertThat(cut).hasSizeLessThanOrEqualTo(60).endsWith("…").isEqualTo(
				"6 of 6 builds in the last 7d were host failures; 'ppc64le…");
		assertThat(FreeText.abbreviate("x".repeat(100), 10)).isEqualTo("x".repeat(9) + "…");
		assertThat(FreeText.abbreviate(null, 10)).isNull();
	}

}
