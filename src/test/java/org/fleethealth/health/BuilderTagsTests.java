package org.fleethealth.health;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Branch tags are the builder's branch, never a build class (CPython's and LLVM's tags). */
class BuilderTagsTests {

	private final BuilderTags tags = new BuilderTags(ClassificationProperties.defaults());

	@Test
	void cpythonTagsSplitIntoBranchAndClasses() {
		List<String> builder = List.of("3.x", "stable", "tier-1", "xpickle", "tzdata");
		assertThat(this.tags.branch(builder)).isEqualTo("3.x");
		assertThat(this.tags.classes(builder)).containsExactly("tzdata", "xpickle");
		assertThat(this.tags.branch(List.of("3.14", "unstable", "tier-3", "nogil"))).isEqualTo("3.14");
		assertThat(this.tags.branch(List.of("PullRequest", "tierless", "clang"))).isEqualTo("PullRequest");
		assertThat(this.tags.classes(List.of("PullRequest", "tierless", "clang"))).containsExactly("clang");
	}

	@Test
	void commonBranchNamesAreBranchesToo() {
		for (String branch : List.of("main", "master", "trunk", "release/17.x", "Main")) {
			assertThat(this.tags.isBranch(branch)).as(branch).isTrue();
		}
		for (String notBranch : List.of("release", "clang", "3.x-extra", "x86-64", "lto")) {
			assertThat(this.tags.isBranch(notBranch)).as(notBranch).isFalse();
		}
	}

	@Test
	void llvmTagsAreAllClasses() {
		List<String> builder = List.of("clang", "lld", "openmp,flang");
		assertThat(this.tags.branch(builder)).isNull();
		assertThat(this.tags.classes(builder)).containsExactly("clang", "lld", "openmp,flang");
	}

	@Test
	void theSameTagGetsTheSameAnswerEveryTimeAndCaseOnlyMattersToClasses() {
		// Asked again (from the memo), a tag reads as the first time; "Stable" is a non-class tag in any case.
		for (int i = 0; i < 3; i++) {
			assertThat(this.tags.classes(List.of("3.x", "Stable", "Tier-1", "gcc"))).containsExactly("gcc");
			assertThat(this.tags.branch(List.of("gcc", "3.x"))).isEqualTo("3.x");
			assertThat(this.tags.isBranch("gcc")).isFalse();
		}
	}

}
