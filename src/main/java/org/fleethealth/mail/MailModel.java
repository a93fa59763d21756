package org.fleethealth.mail;

import java.time.Instant;
import java.util.List;

import org.fleethealth.health.Rule;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;
import org.fleethealth.system.Durations;

/** What the mail templates are given. */
final class MailModel {

	private MailModel() {
	}

	/** One worker in a digest: what is wrong, what is asked, how to answer. */
	record WorkerItem(String master, String name, String state, String since, String sinceAgo, List<String> evidence,
			String ask, String url, String latestReply, List<String> openProposals, Links links) {
	}

	/** Reply links of one worker; {@code null} for a worker that needs no answer. */
	record Links(String backBy, String investigating, String retire) {
	}

	static boolean needsAttention(WorkerReport w) {
		return w.state() == WorkerState.OFFLINE || w.state() == WorkerState.FLAKY_HOST
				|| w.state() == WorkerState.FAILING_BUILD || hasVersionDrift(w);
	}

	static boolean hasVersionDrift(WorkerReport w) {
		return w.fired(Rule.VERSION_DRIFT);
	}

	/** What the owner is asked, in the words of the 2015 thread where they fit. */
	static String ask(WorkerReport w) {
		return switch (w.state()) {
			case OFFLINE -> "It is down. Why, and when (or if) can it be expected back?";
			case FLAKY_HOST -> "Its failures look like the host's, not the code's. Please give the host a quick once-over.";
			case FAILING_BUILD -> "A builder it serves keeps failing in the same step, and nothing shows the host"
					+ " itself is broken. Is something missing or out of date on it for that build?";
			default -> hasVersionDrift(w) ? "Please upgrade buildbot-worker." : "Nothing; it is healthy.";
		};
	}

	static String ago(Instant then, Instant now) {
		return Durations.between(then, now);
	}

}
