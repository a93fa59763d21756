package org.fleethealth.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.fleethealth.health.Facts.Downtime;
import org.fleethealth.system.InvalidSettingException;
import org.springframework.stereotype.Component;

/**
 * The planned downtime windows, parsed once at start: a bad window stops the start with a message naming it. Tells
 * whether a worker is in a window now, when its last window ended, and which windows are in force or come next.
 */
@Component
public class Downtimes {

	// How far back "when did its last window end" looks, and how far ahead "the next ones" look.
	private static final int DAYS_BACK = 31;

	private static final int DAYS_AHEAD = 8;

	private final List<DowntimeWindow> windows = new ArrayList<>();

	public Downtimes(DowntimeProperties properties) {
		this.windows.addAll(rules(properties.downtime()));
	}

	/**
	 * The windows, parsed; also what {@link DowntimeProperties} checks as it is bound, so that a window that is
	 * not one stops the start before the schema is migrated.
	 *
	 * @throws InvalidSettingException naming the window's setting and what is wrong with it
	 */
	static List<DowntimeWindow> rules(List<DowntimeProperties.Window> windows) {
		List<DowntimeWindow> rules = new ArrayList<>();
		// Every window that does not parse, not only the first: a trial fixed three one restart at a time.
		List<String> errors = new ArrayList<>();
		for (int i = 0; i < windows.size(); i++) {
			try {
				rules.add(DowntimeWindow.of(i, windows.get(i)));
			}
			catch (InvalidSettingException ex) {
				errors.add(ex.getMessage());
			}
		}
		if (!errors.isEmpty()) {
			throw new InvalidSettingException(String.join("; ", errors));
		}
		return rules;
	}

	/** The window the worker is in at {@code now}, ending last if several overlap. */
	public Optional<Downtime> current(String worker, Instant now) {
		return occurrences(worker, now.minus(Duration.ofDays(2)), now.plus(Duration.ofDays(2)))
			.filter((o) -> !o.start().isAfter(now) && o.end().isAfter(now))
			.max(Comparator.comparing(DowntimeWindow.Occurrence::end))
			.map((o) -> new Downtime(o.end(), o.reason()));
	}

	/**
	 * When the worker's last window that ended by {@code now} ended, among those that ended after it went away
	 * ({@code since}) and began before it had been away for {@code offlineAfter}: a window that begins when the worker
	 * is offline already plans nothing for it (a trial's worker dead for days read healthy again after a window, and
	 * a nightly window would have dated its absence from every morning, so it was never proposed for removal).
	 */
	public Optional<Instant> lastEnded(String worker, Instant since, Duration offlineAfter, Instant now) {
		Instant offline = since.plus(offlineAfter);
		return occurrences(worker, now.minus(Duration.ofDays(DAYS_BACK)), now)
			.filter((o) -> !o.end().isAfter(now) && o.end().isAfter(since) && o.start().isBefore(offline))
			.map(DowntimeWindow.Occurrence::end)
			.max(Instant::compareTo);
	}

	/** The windows in force at {@code now} and the next occurrence of each, soonest first. */
	public List<Scheduled> schedule(Instant now) {
		List<Scheduled> schedule = new ArrayList<>();
		for (DowntimeWindow rule : this.windows) {
			// A one-off window is listed however far ahead it is; a recurring one by its next occurrence.
			Instant horizon = rule.oneOff() ? Instant.MAX : now.plus(Duration.ofDays(DAYS_AHEAD));
			rule.occurrences(now.minus(Duration.ofDays(2)), horizon)
				.filter((o) -> o.end().isAfter(now))
				.min(Comparator.comparing(DowntimeWindow.Occurrence::start))
				.ifPresent((o) -> schedule.add(new Scheduled(rule.index(), rule.workers(), o.start(), o.end(),
						!o.start().isAfter(now), o.reason())));
		}
		schedule.sort(Comparator.comparing(Scheduled::start));
		return schedule;
	}

	/** Whether any window is configured. */
	public boolean any() {
		return !this.windows.isEmpty();
	}

	/**
	 * The windows that cover none of the given workers (a typo in a name?), each as "fleet-health.downtime[N]
	 * (workers 'a', 'b*')".
	 */
	List<String> coveringNone(Collection<String> workers) {
		return this.windows.stream()
			.filter((r) -> workers.stream().noneMatch(r::covers))
			.map(DowntimeWindow::describe)
			.toList();
	}

	/** The one-off windows that ended by {@code now}: they put nobody in planned downtime any more (a wrong year?). */
	List<String> endedBy(Instant now) {
		return this.windows.stream()
			.filter((r) -> r.oneOff() && !r.oneOffEnd().isAfter(now))
			.map((r) -> r.describe() + " ended at " + r.oneOffEnd())
			.toList();
	}

	private Stream<DowntimeWindow.Occurrence> occurrences(String worker, Instant from, Instant to) {
		return this.windows.stream().filter((r) -> r.covers(worker)).flatMap((r) -> r.occurrences(from, to));
	}

	/**
	 * A window's occurrence as {@code GET /api/downtime} lists it.
	 *
	 * @param window its index in {@code fleet-health.downtime[N]}
	 * @param workers the worker names or patterns it covers
	 * @param start when it starts (or started)
	 * @param end when it ends
	 * @param inForce whether it is in force now
	 * @param reason what it is for
	 */
	public record Scheduled(int window, List<String> workers, Instant start, Instant end, boolean inForce,
			String reason) {
	}

}
