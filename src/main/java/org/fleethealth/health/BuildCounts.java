package org.fleethealth.health;

/**
 * A worker's finished builds in the classification window, by outcome. {@code interrupted} builds (ended by the
 * master or a shared outage) are shown but not counted in {@link #total()}. {@code stuck} are builds running for
 * longer than {@code stuck-after}: each also counted once among the host failures.
 */
public record BuildCounts(int success, int failure, int hostFailure, int codeBreak, int interrupted, int stuck) {

	public static final BuildCounts NONE = new BuildCounts(0, 0, 0, 0, 0, 0);

	public BuildCounts(int success, int failure, int hostFailure, int codeBreak) {
		this(success, failure, hostFailure, codeBreak, 0, 0);
	}

	public BuildCounts(int success, int failure, int hostFailure, int codeBreak, int interrupted) {
		this(success, failure, hostFailure, codeBreak, interrupted, 0);
	}

	/** One more stuck build, counted once as a host failure. */
	BuildCounts plusStuck() {
		return new BuildCounts(this.success, this.failure, this.hostFailure + 1, this.codeBreak, this.interrupted,
				this.stuck + 1);
	}

	public int total() {
		return this.success + this.failure + this.hostFailure + this.codeBreak;
	}

	/** Host failures over all counted builds; 0 without builds. */
	public double hostFailureRatio() {
		return (total() == 0) ? 0.0 : (double) this.hostFailure / total();
	}

	/** The count of one outcome. */
	public int of(Outcome outcome) {
		return switch (outcome) {
			case SUCCESS -> this.success;
			case FAILURE -> this.failure;
			case HOST_FAILURE -> this.hostFailure;
			case CODE_BREAK -> this.codeBreak;
			case INTERRUPTED -> this.interrupted;
		};
	}

	BuildCounts plus(Outcome outcome) {
		return switch (outcome) {
			case SUCCESS -> new BuildCounts(this.success + 1, this.failure, this.hostFailure, this.codeBreak,
					this.interrupted, this.stuck);
			case FAILURE -> new BuildCounts(this.success, this.failure + 1, this.hostFailure, this.codeBreak,
					this.interrupted, this.stuck);
			case HOST_FAILURE -> new BuildCounts(this.success, this.failure, this.hostFailure + 1, this.codeBreak,
					this.interrupted, this.stuck);
			case CODE_BREAK -> new BuildCounts(this.success, this.failure, this.hostFailure, this.codeBreak + 1,
					this.interrupted, this.stuck);
			case INTERRUPTED -> new BuildCounts(this.success, this.failure, this.hostFailure, this.codeBreak,
					this.interrupted + 1, this.stuck);
		};
	}

}
