package org.fleethealth.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.health.Facts.Presence;
import org.fleethealth.health.Facts.WorkerFacts;

/**
 * What one worker's verdict is made of in a round, besides the master's context ({@link Recall.Context}) and the
 * instant: its own facts, what was made of each of its builds, its running builds, the pool findings on it, the
 * failing streaks of the builders it serves (as their evidence reads), and how many of its disconnects its master's restarts and outages
 * explain. Two rounds with equal inputs (and context) give the worker the
 * same verdict, as long as neither reaches {@link #next()}.
 *
 * <p>
 * Facts that only say something about a worker that is not connected (when it went away, its last build, the last
 * sign of it elsewhere) are left out for a connected one: its last-seen instant moves with every poll and would
 * make every worker "changed". A worker whose verdict reads the clock (disconnected, paused, in a planned
 * downtime, with build requests waiting, with a stuck build, on a silent or inactive master) has {@code next} at
 * the round's instant: it is judged in every round.
 */
final class VerdictInputs {

	private final WorkerFacts facts;

	private final long[] builds;

	private final Outcome[] outcomes;

	private final String[] reasons;

	private final long[] running;

	private final List<String> concentrated;

	private final String sameStep;

	private final List<String> streaks;

	private final int excusedDisconnects;

	// When its host was repaired (HostRepairs): its evidence says so.
	private final Instant repaired;

	private final Instant next;

	private VerdictInputs(WorkerFacts facts, long[] builds, Outcome[] outcomes, String[] reasons, long[] running,
			List<String> concentrated, String sameStep, List<String> streaks, int excusedDisconnects,
			Instant repaired, Instant next) {
		this.excusedDisconnects = excusedDisconnects;
		this.repaired = repaired;
		this.facts = facts;
		this.builds = builds;
		this.outcomes = outcomes;
		this.reasons = reasons;
		this.running = running;
		this.concentrated = concentrated;
		this.sameStep = sameStep;
		this.streaks = streaks;
		this.next = next;
	}

	/**
	 * The worker's inputs in the round.
	 *
	 * @param silent whether the master has been silent for {@code stale-after} at the round's instant
	 */
	static VerdictInputs of(WorkerFacts w, WorkerCase.Shared shared, boolean silent) {
		Round round = shared.round();
		Judgements judged = shared.judged();
		ClassificationProperties properties = shared.properties();
		List<BuildFacts> own = round.of(w.sourceId());
		long[] builds = new long[own.size()];
		Outcome[] outcomes = new Outcome[own.size()];
		String[] reasons = new String[own.size()];
		for (int i = 0; i < own.size(); i++) {
			long id = own.get(i).id();
			builds[i] = id;
			outcomes[i] = judged.outcome(id);
			Judgements.Reason reason = judged.reason(id);
			reasons[i] = (reason != null) ? reason.kind() + ": " + reason.text() : null;
		}
		List<BuildFacts> runningBuilds = round.running(w.sourceId());
		long[] running = new long[runningBuilds.size()];
		Instant stuckAt = null;
		boolean stuck = false;
		for (int i = 0; i < running.length; i++) {
			BuildFacts b = runningBuilds.get(i);
			running[i] = b.id();
			// Stuck once it started before now - stuck-after (WorkerCase): from the instant just after this one.
			Instant at = b.startedAt().plus(properties.stuckAfter());
			stuck |= at.isBefore(round.now);
			stuckAt = (stuckAt == null || at.isBefore(stuckAt)) ? at : stuckAt;
		}
		// The streaks as their evidence reads (it counts the class peers that passed the same revisions, which a
		// peer's new build changes while the streak stays as it was).
		List<String> served = new ArrayList<>();
		for (Long builderId : round.served(w.sourceId())) {
			Streaks.Streak streak = shared.streaks().get(builderId);
			if (streak != null) {
				served.add(EvidenceText.streak(round, streak, w.sourceId()));
			}
		}
		served.sort(null);
		// Which of its disconnects came with the master's restarts and outages (they do not count as flapping): a
		// restart seen now can cover a disconnect seen a minute ago.
		int excused = 0;
		for (Instant at : w.disconnects()) {
			excused += (shared.trouble().disconnect(at) != null) ? 1 : 0;
		}
		boolean clockRead = silent || stuck || readsTheClock(w);
		Instant next = clockRead ? round.now : stuckAt;
		return new VerdictInputs(clockRead ? w : connectedFacts(w), builds, outcomes, reasons, running,
				judged.concentrated(w.sourceId()), judged.sameStep(w.sourceId()), List.copyOf(served), excused,
				round.master.repairedSince().get(w.sourceId()), next);
	}

	/**
	 * Whether the worker's verdict or its evidence depends on the instant of the round ("not connected since ...
	 * (2h 5m)", "paused since ...", waiting build requests, a downtime window).
	 */
	private static boolean readsTheClock(WorkerFacts w) {
		Presence p = w.presence();
		return !w.connected() || p.paused() || p.downtime() != null || p.waiting() > 0 || p.masterInactive() != null;
	}

	/**
	 * A connected worker's facts less those only a disconnected one is judged on, and less its stored judgement
	 * (state, since, held state): that is what its last verdict made it, as {@link Recall} only keeps verdicts
	 * while the master's stored round is the one it remembers.
	 */
	private static WorkerFacts connectedFacts(WorkerFacts w) {
		Presence p = w.presence();
		Presence presence = new Presence(false, null, p.pauseReason(), p.connectedElsewhere(), null, null,
				p.latent(), 0, null, null, null, null);
		return new WorkerFacts(w.name(), w.sourceId(), true, w.everConnected(), null, null, null, null,
				w.disconnects(), w.version(), null, null, null, null, presence);
	}

	/**
	 * The instant from which the worker's verdict can change with time alone (a running build becoming stuck), or
	 * {@code null} if it cannot; the round's own instant for a worker judged in every round.
	 */
	Instant next() {
		return this.next;
	}

	/** Whether the verdict made of these inputs can have changed by itself by {@code now}. */
	boolean dueAt(Instant now) {
		return this.next != null && !this.next.isAfter(now);
	}

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof VerdictInputs that)) {
			return false;
		}
		return this.excusedDisconnects == that.excusedDisconnects && Objects.equals(this.repaired, that.repaired)
				&& this.facts.equals(that.facts) && Arrays.equals(this.builds, that.builds)
				&& Arrays.equals(this.outcomes, that.outcomes) && Arrays.equals(this.reasons, that.reasons)
				&& Arrays.equals(this.running, that.running) && this.concentrated.equals(that.concentrated)
				&& Objects.equals(this.sameStep, that.sameStep) && this.streaks.equals(that.streaks);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.facts, Arrays.hashCode(this.builds), Arrays.hashCode(this.running));
	}

}
