package org.fleethealth.health;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What each build of a round says, and the pool findings per worker ({@link BuildJudge}). */
final class Judgements {

	/** Why a build says what it says. */
	enum Kind {

		EXCEPTION, RETRY, INFRASTRUCTURE, INTERMITTENT, CONCENTRATED, SAME_STEP, CODE_BREAK, INTERRUPTED

	}

	/** The reason of one build's outcome, for evidence. */
	record Reason(Kind kind, String text) {
	}

	private final Map<Long, Outcome> outcomes = new HashMap<>();

	private final Map<Long, Reason> reasons = new HashMap<>();

	private final Map<Long, List<String>> concentrated = new HashMap<>();

	private final Map<Long, String> sameStep = new HashMap<>();

	void set(long build, Outcome outcome, Kind kind, String text) {
		this.outcomes.put(build, outcome);
		if (kind != null) {
			this.reasons.put(build, new Reason(kind, text));
		}
		else {
			this.reasons.remove(build);
		}
	}

	/** The outcome of a build, or {@code null} if it says nothing (skipped, cancelled, an unknown code). */
	Outcome outcome(long build) {
		return this.outcomes.get(build);
	}

	Reason reason(long build) {
		return this.reasons.get(build);
	}

	void concentrated(long worker, String evidence) {
		this.concentrated.computeIfAbsent(worker, (k) -> new ArrayList<>()).add(evidence);
	}

	/** The worker's shared builders whose failures concentrate on it, as evidence lines. */
	List<String> concentrated(long worker) {
		return this.concentrated.getOrDefault(worker, List.of());
	}

	void sameStep(long worker, String evidence) {
		this.sameStep.put(worker, evidence);
	}

	/** The step the worker fails on most of its shared builders, as an evidence line, or {@code null}. */
	String sameStep(long worker) {
		return this.sameStep.get(worker);
	}

}
