package org.fleethealth.mail;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.fleethealth.health.Rule;
import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerState;
import org.fleethealth.system.Durations;
import org.fleethealth.system.FreeText;
import org.springframework.web.util.UriUtils;

/** What the mail templates are given. */
final class MailModel {

	private MailModel() {
	}

	/** The longest evidence line a mail shows; the worker's page has it all. */
	static final int MAX_LINE = 1000;

	/** One worker in a digest: what is wrong, what is asked, how to answer. */
	record WorkerItem(String master, String name, String state, String since, String sinceAgo, List<String> evidence,
			String ask, String url, String latestReply, List<String> openProposals, Links links) {

		/** The same worker with only its first evidence lines, saying how many more its page has. */
		WorkerItem firstLines(int lines) {
			return new WorkerItem(this.master, this.name, this.state, this.since, this.sinceAgo,
					MailModel.firstLines(this.evidence, lines), this.ask, this.url, this.latestReply,
					this.openProposals, this.links);
		}

	}

	/** Text lines from outside (evidence quotes step and builder names) as mail shows them: one line each, bounded. */
	static List<String> lines(List<String> lines) {
		return lines.stream().map((l) -> FreeText.fit(FreeText.oneLine(l), MAX_LINE)).toList();
	}

	/** The first lines, and a last one saying how many more there are. */
	static List<String> firstLines(List<String> lines, int max) {
		if (lines.size() <= max) {
			return lines;
		}
		List<String> first = new ArrayList<>(lines.subList(0, max));
		first.add("... " + (lines.size() - max) + " more on the worker's page");
		return first;
	}

	/** The worker's page on this service, its names encoded as path segments. */
	static String workerUrl(String baseUrl, WorkerReport w) {
		return workerUrl(baseUrl, w.master(), w.name());
	}

	/** The page of a worker of a master on this service, the names encoded as path segments. */
	static String workerUrl(String baseUrl, String master, String worker) {
		return baseUrl + "workers/" + UriUtils.encodePathSegment(master, StandardCharsets.UTF_8) + "/"
				+ UriUtils.encodePathSegment(worker, StandardCharsets.UTF_8);
	}

	/**
	 * Reply links of one worker; {@code null} for a worker that needs no answer.
	 *
	 * @param backBy "it will be back by a date", or {@code null} where the worker is not away ({@link #asksBackBy})
	 * @param retire "retire it", or {@code null} where its removal is approved already
	 */
	record Links(String backBy, String investigating, String retire) {
	}

	/**
	 * Whether an owner is offered "it will be back by a date": for a worker that is down or has a broken host, whose
	 * removal proposals the answer snoozes. Not for one that runs and is only asked to upgrade buildbot-worker
	 * (version drift), nor for one that builds and fails one builder's builds (failing-build): neither is coming back
	 * from anywhere, and no proposal waits to be snoozed (a trial met the link on a failing-build worker).
	 */
	static boolean asksBackBy(WorkerReport w) {
		return w.state() == WorkerState.OFFLINE || w.state() == WorkerState.FLAKY_HOST;
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
