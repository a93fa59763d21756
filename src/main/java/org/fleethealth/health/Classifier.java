package org.fleethealth.health;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fleethealth.health.Facts.MasterFacts;
import org.fleethealth.health.Facts.WorkerFacts;

/**
 * Classifies every worker of a master, first rule that applies (each rule one method of {@link WorkerCase} or
 * {@link PresenceRules}, as in {@code GateRules}):
 * <ol>
 * <li>{@code unknown}: its master has not answered for {@code stale-after}, or the master process it belongs to
 * is inactive; nothing can be said, nobody is blamed ({@link Rule#MASTER_SILENT}, {@link Rule#MASTER_INACTIVE});</li>
 * <li>{@code paused}: paused in Buildbot, or in a planned downtime window while disconnected, paused or idle
 * ({@link Rule#PAUSED}, {@link Rule#PLANNED_DOWNTIME});</li>
 * <li>{@code offline}: configured but never connected, or not connected for {@code offline-after} since the last
 * sign of it anywhere; never while it is connected to another watched master; a latent worker only when work
 * waited for it and it did not start ({@link Rule#NEVER_CONNECTED}, {@link Rule#NOT_CONNECTED},
 * {@link Rule#LATENT_NOT_STARTED});</li>
 * <li>{@code flaky-host}: "the slave is broken, not the builds on the slave": its failures on a shared builder
 * concentrate on it, it fails one step on most of its shared builders where their other workers pass, host
 * failures reach {@code flaky-ratio}, it disconnects again and again (not counting its master's restarts), or it
 * is connected but starts none of the work waiting for it ({@link Rule#POOL_CONCENTRATION},
 * {@link Rule#SAME_STEP_ACROSS_BUILDERS}, {@link Rule#HOST_FAILURE_RATIO}, {@link Rule#CONNECTION_FLAPPING},
 * {@link Rule#UNRESPONSIVE});</li>
 * <li>{@code failing-build}: a builder it serves failed its last {@code failing-streak} builds in one step
 * ({@link Rule#FAILING_STREAK});</li>
 * <li>{@code healthy}.</li>
 * </ol>
 * What each build says (host, build, code break, ended by the master) is judged first, for the whole master, by
 * {@link BuildJudge}.
 * <p>
 * With a {@link Recall} of the master's last round, a round judges again only the workers whose verdict can differ
 * from the last one. The build judgements and streaks it compares with are made for the whole master, as a worker's
 * verdict depends on its pool mates' and class peers' builds, but only when the window's builds changed
 * ({@link JudgedWindow}); versions are compared every round.
 */
public class Classifier {

	private final ClassificationProperties properties;

	private final BuildJudge judge;

	private final PresenceRules presence;

	private final ConnectionRules connection;

	public Classifier(ClassificationProperties properties) {
		this.properties = properties;
		this.judge = new BuildJudge(properties);
		this.presence = new PresenceRules(properties);
		this.connection = new ConnectionRules(properties, this.presence);
	}

	/** Classifies every worker of the master at {@code now}; the result is keyed by worker name. */
	public Map<String, Verdict> classify(MasterFacts master, Instant now) {
		return classify(master, now, null, null).verdicts();
	}

	/**
	 * A round of the master at {@code now}.
	 *
	 * @param recall the master's last round, updated to this one; {@code null} judges every worker and keeps nothing
	 * @param storedRoundAt when the master's last stored round was made, or {@code null}
	 */
	Judged classify(MasterFacts master, Instant now, Recall recall, Instant storedRoundAt) {
		Round round = new Round(master, now, this.properties);
		Versions versions = Versions.of(master.workers());
		boolean silent = silent(master, now);
		Recall.Context context = Recall.Context.of(master, versions, silent);
		String fullReason = (recall != null) ? recall.fullReason(context, now, storedRoundAt) : "no recall";
		boolean full = fullReason != null;
		// A full round judges the window again too: the safety net does not rest on what is kept.
		JudgedWindow window = JudgedWindow.of(round, this.judge, this.properties,
				(recall != null && !full) ? recall.window() : null);
		boolean windowKept = recall != null && window == recall.window();
		WorkerCase.Shared shared = new WorkerCase.Shared(this.properties, this.presence, this.connection, round,
				window.judgements(), window.streaks(), versions, new MasterTrouble(round, this.properties));
		Map<String, Verdict> verdicts = new LinkedHashMap<>();
		Map<Long, VerdictInputs> inputs = new HashMap<>();
		Map<Recall.Why, Integer> counts = new EnumMap<>(Recall.Why.class);
		Map<Long, JudgedBuild> builds = new HashMap<>();
		Map<Long, Map<Long, JudgedBuild>> byWorker = new HashMap<>();
		for (WorkerFacts worker : master.workers()) {
			Recall.Why why = Recall.Why.FULL;
			if (recall != null) {
				VerdictInputs in = VerdictInputs.of(worker, shared, silent);
				inputs.put(worker.sourceId(), in);
				why = full ? Recall.Why.FULL : recall.why(worker.sourceId(), in, now);
			}
			Map<Long, JudgedBuild> own;
			if (why != null) {
				Verdict verdict = new WorkerCase(shared, worker).verdict();
				verdicts.put(worker.name(), verdict);
				counts.merge(why, 1, Integer::sum);
				own = Judged.builds(worker.name(), verdict);
			}
			else {
				own = recall.builds(worker.sourceId());
			}
			builds.putAll(own);
			if (!own.isEmpty()) {
				byWorker.put(worker.sourceId(), own);
			}
		}
		if (recall != null) {
			recall.remember(context, inputs, byWorker, window, now, full);
		}
		return new Judged(verdicts, builds, counts, master.workers().size() - verdicts.size(), fullReason, windowKept);
	}

	/** Whether the master has not answered for {@code stale-after} ({@link WorkerCase}'s first rule). */
	private boolean silent(MasterFacts master, Instant now) {
		return master.lastAnswer() == null
				|| Duration.between(master.lastAnswer(), now).compareTo(this.properties.staleAfter()) > 0;
	}

	/**
	 * What a round judged.
	 *
	 * @param verdicts the verdicts of the workers judged, by name; the others keep their last one
	 * @param builds what was made of each build that is no plain success, by build id: from this round's verdicts,
	 * and from the last verdicts of the workers not judged again
	 * @param judged how many workers were judged, by why
	 * @param kept how many were not judged again: nothing their verdict is made of changed
	 * @param fullReason why every worker was judged, or {@code null} if not all were
	 * @param windowKept whether the window's build judgements were the last round's ({@link JudgedWindow}): its
	 * builds, builders and the master's restarts were as that round left them
	 */
	record Judged(Map<String, Verdict> verdicts, Map<Long, JudgedBuild> builds, Map<Recall.Why, Integer> judged,
			int kept, String fullReason, boolean windowKept) {

		/** The builds of one verdict that are no plain success, by build id. */
		static Map<Long, JudgedBuild> builds(String worker, Verdict verdict) {
			Map<Long, JudgedBuild> builds = new HashMap<>();
			verdict.outcomes().forEach((id, outcome) -> {
				if (outcome != Outcome.SUCCESS) {
					builds.put(id, new JudgedBuild(id, worker, outcome, verdict.reasons().get(id)));
				}
			});
			return builds;
		}

	}

}
