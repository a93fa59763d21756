package org.fleethealth.health;

/** A worker's finished builds in the classification window, by outcome. */
public record BuildCounts(int success, int failure, int hostFailure, int codeBreak) {

	public static final BuildCounts NONE = new BuildCounts(0, 0, 0, 0);

	public int total() {
		return this.success + this.failure + this.hostFailure + this.codeBreak;
	}

	/** Host failures over all counted builds; 0 without builds. */
	public double hostFailureRatio() {
		return (total() == 0) ? 0.0 : (double) this.hostFailure / total();
	}

	BuildCounts plus(Outcome outcome) {
		return switch (outcome) {
			case SUCCESS -> new BuildCounts(this.success + 1, this.failure, this.hostFailure, this.codeBreak);
			case FAILURE -> new BuildCounts(this.success, this.failure + 1, this.hostFailure, this.codeBreak);
			case HOST_FAILURE -> new BuildCounts(this.success, this.failure, this.hostFailure + 1, this.codeBreak);
			case CODE_BREAK -> new BuildCounts(this.success, this.failure, this.hostFailure, this.codeBreak + 1);
		};
	}

}
