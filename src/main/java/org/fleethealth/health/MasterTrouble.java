package org.fleethealth.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.fleethealth.fleet.MasterInterruption;
import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.source.BuildResult;
import org.fleethealth.system.Durations;

/**
 * When a master as a whole was not itself, and which builds and disconnects that explains. A master stop ends
 * running builds (Buildbot 3.7: cancelled, "Master Shutdown"); a crash leaves them running until the master starts
 * again and closes them as retry; a restart drops every worker, and workers take up to 5 minutes to come back. None
 * of that is a host's fault.
 */
final class MasterTrouble {

	/** Buildbot closes a crashed master's builds while it starts, moments before it reports itself active. */
	static final Duration START_SLACK = Duration.ofMinutes(1);

	/** Builds that end in retry, exception or cancel on several workers within this span ended together. */
	static final Duration TOGETHER = Duration.ofSeconds(10);

	private final List<MasterInterruption> interruptions = new ArrayList<>();

	private final Duration grace;

	private final double share;

	private final Round round;

	MasterTrouble(Round round, ClassificationProperties properties) {
		this.grace = properties.restartGrace();
		this.share = properties.outageShare();
		this.round = round;
		for (MasterInterruption i : round.master.interruptions()) {
			if (i.kind() != MasterInterruption.Kind.DISCONNECTS || isMass(i)) {
				this.interruptions.add(i);
			}
		}
	}

	/** Several workers dropping at one poll is the master's (or the network's) doing when they are most of them. */
	private boolean isMass(MasterInterruption i) {
		return isMass(i, this.share);
	}

	/** Whether an interruption is the master's: every restart and outage, a disconnect batch of at least {@code share}. */
	static boolean isMasters(MasterInterruption i, double share) {
		return i.kind() != MasterInterruption.Kind.DISCONNECTS || isMass(i, share);
	}

	private static boolean isMass(MasterInterruption i, double share) {
		return i.workersAffected() != null && i.workersTotal() != null && i.workersAffected() >= 2
				&& i.workersAffected() >= share * i.workersTotal();
	}

	private static boolean endedAbnormally(BuildFacts b) {
		BuildResult r = BuildResult.of(b.results());
		return r == BuildResult.RETRY || r == BuildResult.EXCEPTION || r == BuildResult.CANCELLED;
	}

	/** Why a disconnect seen at this instant was the master's, or {@code null} if it was the worker's own. */
	String disconnect(Instant at) {
		MasterInterruption i = explaining(this.interruptions, at, this.grace);
		return (i != null) ? describe(i) : null;
	}

	/**
	 * From when a worker that went away at {@code at} is away by its own doing: when the master's restart or outage
	 * that explains its going ended (workers come back after it), else {@code at}; {@code null} while that restart
	 * or outage lasts. A master's trouble never starts a worker's {@code offline-after} clock.
	 */
	Instant absentFrom(Instant at) {
		return absentFrom(this.interruptions, at, this.grace);
	}

	/**
	 * {@link #absentFrom(Instant)} on the given master's interruptions (another watched master's, for a worker it
	 * saw), counting a mass disconnect only where it was most of its workers.
	 */
	static Instant absentFrom(List<MasterInterruption> interruptions, Instant at, ClassificationProperties properties) {
		List<MasterInterruption> counted = interruptions.stream()
			.filter((i) -> i.kind() != MasterInterruption.Kind.DISCONNECTS || isMass(i, properties.outageShare()))
			.toList();
		return absentFrom(counted, at, properties.restartGrace());
	}

	private static Instant absentFrom(List<MasterInterruption> interruptions, Instant at, Duration grace) {
		MasterInterruption i = explaining(interruptions, at, grace);
		if (i == null) {
			return at;
		}
		return (i.to() != null) ? Durations.latest(at, i.to()) : null;
	}

	/** The interruption during which (or within {@code grace} after which) a worker dropping at {@code at} dropped. */
	private static MasterInterruption explaining(List<MasterInterruption> interruptions, Instant at, Duration grace) {
		for (MasterInterruption i : interruptions) {
			Instant to = (i.to() != null) ? i.to().plus(grace) : null;
			if (!at.isBefore(i.from()) && (to == null || !at.isAfter(to))) {
				return i;
			}
		}
		return null;
	}

	/**
	 * Why a build that ended in retry, exception or cancel was ended by its master, or {@code null} if it was not:
	 * its master said so, it ended during a restart or outage, or builds of several workers ended with it.
	 */
	String endedBuild(BuildFacts b) {
		if (!endedAbnormally(b)) {
			return null;
		}
		if (b.stateString() != null && b.stateString().toLowerCase(Locale.ROOT).contains("master shutdown")) {
			return "its master shut down ('" + b.stateString() + "')";
		}
		for (MasterInterruption i : this.interruptions) {
			Instant to = (i.to() != null) ? i.to().plus(this.grace) : null;
			if (!b.completeAt().isBefore(i.from().minus(START_SLACK)) && (to == null || !b.completeAt().isAfter(to))) {
				return "it ended during " + describe(i);
			}
		}
		Set<Long> workers = new HashSet<>();
		Set<Long> ending = new HashSet<>();
		for (BuildFacts other : this.round.endingNear(b.completeAt(), TOGETHER)) {
			ending.add(other.workerId());
			if (endedAbnormally(other)) {
				workers.add(other.workerId());
			}
		}
		if (workers.size() >= 2 && workers.size() >= this.share * ending.size()) {
			return "builds of " + workers.size() + " workers ended in retry, exception or cancel within "
					+ TOGETHER.toSeconds() + " s of it";
		}
		return null;
	}

	private static String describe(MasterInterruption i) {
		return switch (i.kind()) {
			case RESTART -> "a restart of the master" + ((i.to() != null) ? " (" + Durations.at(i.to()) + ")" : "");
			case UNREACHABLE -> "an outage of the master (not answering from " + Durations.at(i.from())
					+ ((i.to() != null) ? " to " + Durations.at(i.to()) : "") + ")";
			case DISCONNECTS -> "a mass disconnect (" + i.workersAffected() + " of " + i.workersTotal()
					+ " workers at " + Durations.at(i.to()) + ")";
		};
	}

}
