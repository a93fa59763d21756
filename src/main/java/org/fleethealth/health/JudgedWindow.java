package org.fleethealth.health;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fleethealth.fleet.MasterInterruption;
import org.fleethealth.health.Facts.BuildFacts;
import org.fleethealth.health.Facts.BuilderFacts;
import org.fleethealth.health.Facts.WorkerFacts;
import org.jspecify.annotations.Nullable;

/**
 * What a round made of its window's builds ({@link BuildJudge}) and of its builders' failing runs ({@link Streaks}),
 * kept with what it was made of ({@link Inputs}). Both are functions of those inputs alone, not of the clock: a
 * round that finds them as the last round left them (a reconciliation that finds nothing new, a round for a
 * connect) takes the last round's judgements instead of judging every build of the window again. At 10,000 workers
 * that judging was most of such a round (bench/RESULTS.md). A build that finished, had its steps read or left the
 * window, a builder, restart or worker name that changed: the window is judged again, whole.
 * <p>
 * The inputs are compared field for field, not by a hash: a judgement reused on a collision would be wrong and leave
 * no trace. Keeping them costs one copy of the window's build facts between rounds.
 */
final class JudgedWindow {

	/**
	 * Everything {@link BuildJudge} and {@link Streaks} read from a round.
	 *
	 * @param builds the window's finished builds, in id order ({@link Round#builds})
	 * @param builders the master's builders (classes, branch, pool, retired)
	 * @param interruptions the master's restarts, outages and mass disconnects overlapping the window
	 * ({@link MasterTrouble#isMasters}): a few workers dropping at one poll is recorded at most polls of a large
	 * fleet, and explains no build
	 * @param workerNames the workers' names by the master's id of them, as written in evidence
	 */
	record Inputs(List<BuildFacts> builds, Map<Long, BuilderFacts> builders, List<MasterInterruption> interruptions,
			Map<Long, String> workerNames) {

		static Inputs of(Round round, double outageShare) {
			Map<Long, String> names = new HashMap<>();
			for (WorkerFacts w : round.master.workers()) {
				names.put(w.sourceId(), w.name());
			}
			List<MasterInterruption> masters = round.master.interruptions()
				.stream()
				.filter((i) -> MasterTrouble.isMasters(i, outageShare))
				.toList();
			return new Inputs(round.builds, round.master.builders(), masters, names);
		}

	}

	private final Inputs inputs;

	private final Judgements judgements;

	private final Map<Long, Streaks.Streak> streaks;

	private JudgedWindow(Inputs inputs, Judgements judgements, Map<Long, Streaks.Streak> streaks) {
		this.inputs = inputs;
		this.judgements = judgements;
		this.streaks = streaks;
	}

	/**
	 * The judgements of the round's window: the last round's where its inputs are equal, else judged now.
	 *
	 * @param last the last round's, or {@code null} to judge the window in any case
	 */
	static JudgedWindow of(Round round, BuildJudge judge, ClassificationProperties properties,
			@Nullable JudgedWindow last) {
		Inputs inputs = Inputs.of(round, properties.outageShare());
		if (last != null && last.inputs.equals(inputs)) {
			return last;
		}
		Judgements judged = judge.judge(round);
		return new JudgedWindow(inputs, judged, Streaks.of(round, judged, properties.failingStreak()));
	}

	/** What each build of the window says, and the pool findings per worker. Read only. */
	Judgements judgements() {
		return this.judgements;
	}

	/** The builders on a failing streak, by builder id. */
	Map<Long, Streaks.Streak> streaks() {
		return this.streaks;
	}

}
