package org.fleethealth.health;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.fleethealth.health.Facts.BuilderFacts;
import org.fleethealth.health.Facts.MasterFacts;
import org.fleethealth.health.Facts.WorkerFacts;

/**
 * What one master's last round judged its workers on, so the next round judges again only the workers whose
 * verdict can differ (issue 18): those whose {@link VerdictInputs} changed and those that reached the instant at
 * which their verdict can change by itself. Every worker is judged when the master's context changed (its
 * builders, its worker list, the fleet's common version, its silence), at the first round and every
 * {@code full-interval}. The master's restarts and outages are not context: what they explain (builds it ended,
 * disconnects) is in each worker's inputs, and a record of several workers dropping at one poll comes with most
 * workers polls of a large fleet.
 *
 * <p>
 * Kept in memory by the instance that judges the master: after a restart, or when another instance of a cluster
 * judged the master last, the first round is a full one. Not thread-safe: rounds of a master run one at a time.
 */
final class Recall {

	/** Why a worker was judged in a round; {@code null} stands for "kept as it was". */
	enum Why {

		/** Every worker is judged: the first round, a context change, or {@code full-interval}. */
		FULL,
		/** Its inputs changed: new builds, what was made of them, its connection, version or presence. */
		CHANGED,
		/** Its verdict can change with time alone, and that instant has come. */
		DUE;

		String label() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/**
	 * What every worker of the master is judged against.
	 *
	 * @param commonVersion the version most of the fleet runs, as written in drift evidence, or {@code null}
	 * @param olderVersions each version reported, and whether it is older than the common one
	 * @param silent whether the master has been silent for {@code stale-after}
	 */
	record Context(List<String> workers, Map<Long, BuilderFacts> builders, String commonVersion, Map<String, Boolean> olderVersions, boolean silent) {

		static Context of(MasterFacts master, Versions versions, boolean silent) {
			List<String> names = master.workers().stream().map(WorkerFacts::name).toList();
			return new Context(names, master.builders(),
					(versions.common() != null) ? versions.common().toString() : null, versions.older(), silent);
		}

		/** What differs from the other context, for the log, or {@code null} if nothing does. */
		String changed(Context other) {
			if (!this.workers.equals(other.workers)) {
				return "the worker list";
			}
			if (!this.builders.equals(other.builders)) {
				return "the builders";
			}
			if (!Objects.equals(this.commonVersion, other.commonVersion)
					|| !this.olderVersions.equals(other.olderVersions)) {
				return "the fleet's versions";
			}
			return (this.silent != other.silent) ? "the master's silence" : null;
		}

	}

	private final Duration fullInterval;

	private Context context;

	private Instant lastFull;

	private Map<Long, VerdictInputs> inputs = Map.of();

	// The judged builds of each worker's last verdict (only workers with any): a kept verdict keeps them too.
	private Map<Long, Map<Long, JudgedBuild>> builds = Map.of();

	// What the last round made of its window's builds: the next round takes it where its window is the same.
	private JudgedWindow window;

	// When the round remembered here was stored: a master judged by another instance since is judged in full.
	private Instant roundAt;

	Recall(Duration fullInterval) {
		this.fullInterval = fullInterval;
	}

	/**
	 * Why a round with this context at {@code now} must judge every worker, or {@code null} when it need not.
	 *
	 * @param storedRoundAt when the master's last stored round was made (by this instance or another), or
	 * {@code null}; compared to the millisecond, as databases keep instants to the microsecond at most
	 */
	String fullReason(Context context, Instant now, Instant storedRoundAt) {
		if (this.context == null || this.roundAt == null) {
			return "no round of the master remembered (the first since this instance started, or one not stored)";
		}
		if (storedRoundAt == null
				|| !this.roundAt.truncatedTo(ChronoUnit.MILLIS).equals(storedRoundAt.truncatedTo(ChronoUnit.MILLIS))) {
			return "the master's last stored round is not the one remembered (another instance judged it)";
		}
		String changed = this.context.changed(context);
		if (changed != null) {
			return changed + " changed";
		}
		if (!now.isBefore(this.lastFull.plus(this.fullInterval))) {
			return "full-interval passed";
		}
		return null;
	}

	/** Why the worker must be judged again, or {@code null} when its last verdict still holds. */
	Why why(long workerId, VerdictInputs now, Instant at) {
		VerdictInputs last = this.inputs.get(workerId);
		if (last == null) {
			return Why.CHANGED;
		}
		if (last.dueAt(at)) {
			return Why.DUE;
		}
		return last.equals(now) ? null : Why.CHANGED;
	}

	/** The builds of the worker's last verdict that were no plain success, by build id. */
	Map<Long, JudgedBuild> builds(long workerId) {
		return this.builds.getOrDefault(workerId, Map.of());
	}

	/** What the last round made of its window's builds, or {@code null} if none is remembered. */
	JudgedWindow window() {
		return this.window;
	}

	/** Keeps the round's inputs, its build judgements and the judged builds of its verdicts, for the next round. */
	void remember(Context context, Map<Long, VerdictInputs> inputs, Map<Long, Map<Long, JudgedBuild>> builds,
			JudgedWindow window, Instant now, boolean full) {
		this.context = context;
		this.window = window;
		this.inputs = inputs;
		this.builds = builds;
		this.roundAt = now;
		if (full) {
			this.lastFull = now;
		}
	}

	/** Forgets the last round: the next one judges every worker (its judgements were not stored). */
	void forget() {
		this.context = null;
		this.roundAt = null;
		this.window = null;
		this.inputs = Map.of();
		this.builds = Map.of();
	}

}
