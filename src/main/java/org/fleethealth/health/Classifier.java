package org.fleethealth.health;

import java.time.Instant;
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
 */
public class Classifier {

	private final ClassificationProperties properties;

	private final BuildJudge judge;

	private final PresenceRules presence;

	public Classifier(ClassificationProperties properties) {
		this.properties = properties;
		this.judge = new BuildJudge(properties);
		this.presence = new PresenceRules(properties);
	}

	/** Classifies every worker of the master at {@code now}; the result is keyed by worker name. */
	public Map<String, Verdict> classify(MasterFacts master, Instant now) {
		Round round = new Round(master, now, this.properties);
		Judgements judged = this.judge.judge(round);
		WorkerCase.Shared shared = new WorkerCase.Shared(this.properties, this.presence, round, judged,
				Streaks.of(round, judged, this.properties.failingStreak()), Versions.of(master.workers()),
				new MasterTrouble(round, this.properties));
		Map<String, Verdict> verdicts = new LinkedHashMap<>();
		for (WorkerFacts worker : master.workers()) {
			verdicts.put(worker.name(), new WorkerCase(shared, worker).verdict());
		}
		return verdicts;
	}

}
