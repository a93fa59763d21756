package org.fleethealth.health;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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

	private final List<Rule> windows = new ArrayList<>();

	public Downtimes(DowntimeProperties properties) {
		this.windows.addAll(rules(properties.downtime()));
	}

	/**
	 * The windows as rules; also what {@link DowntimeProperties} checks as it is bound, so that a window that is
	 * not one stops the start before the schema is migrated.
	 *
	 * @throws InvalidSettingException naming the window's setting and what is wrong with it
	 */
	static List<Rule> rules(List<DowntimeProperties.Window> windows) {
		List<Rule> rules = new ArrayList<>();
		for (int i = 0; i < windows.size(); i++) {
			rules.add(Rule.of(i, windows.get(i)));
		}
		return rules;
	}

	/** The window the worker is in at {@code now}, ending last if several overlap. */
	public Optional<Downtime> current(String worker, Instant now) {
		return occurrences(worker, now.minus(Duration.ofDays(2)), now.plus(Duration.ofDays(2)))
			.filter((o) -> !o.start().isAfter(now) && o.end().isAfter(now))
			.max(Comparator.comparing(Occurrence::end))
			.map((o) -> new Downtime(o.end(), o.reason()));
	}

	/** When the worker's last window that ended by {@code now} ended, if it ended after {@code since}. */
	public Optional<Instant> lastEnded(String worker, Instant since, Instant now) {
		return occurrences(worker, now.minus(Duration.ofDays(DAYS_BACK)), now)
			.map(Occurrence::end)
			.filter((end) -> !end.isAfter(now) && end.isAfter(since))
			.max(Instant::compareTo);
	}

	/** The windows in force at {@code now} and the next occurrence of each, soonest first. */
	public List<Scheduled> schedule(Instant now) {
		List<Scheduled> schedule = new ArrayList<>();
		for (Rule rule : this.windows) {
			// A one-off window is listed however far ahead it is; a recurring one by its next occurrence.
			Instant horizon = (rule.start != null) ? Instant.MAX : now.plus(Duration.ofDays(DAYS_AHEAD));
			rule.occurrences(now.minus(Duration.ofDays(2)), horizon)
				.filter((o) -> o.end().isAfter(now))
				.min(Comparator.comparing(Occurrence::start))
				.ifPresent((o) -> schedule.add(new Scheduled(rule.index, rule.window.workers(), o.start(), o.end(),
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
			.map(Rule::describe)
			.toList();
	}

	/** The one-off windows that ended by {@code now}: they have no effect any more (a wrong year?). */
	List<String> endedBy(Instant now) {
		return this.windows.stream()
			.filter((r) -> r.end != null && !r.end.isAfter(now))
			.map((r) -> r.describe() + " ended at " + r.end)
			.toList();
	}

	private Stream<Occurrence> occurrences(String worker, Instant from, Instant to) {
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

	private record Occurrence(Instant start, Instant end, String reason) {
	}

	/** One configured window, parsed. */
	static final class Rule {

		private final int index;

		private final DowntimeProperties.Window window;

		private final List<Pattern> workers;

		private final Set<DayOfWeek> days;

		private final LocalTime from;

		private final LocalTime to;

		private final ZoneId zone;

		private final Instant start;

		private final Instant end;

		private Rule(int index, DowntimeProperties.Window window) {
			this.index = index;
			this.window = window;
			String name = "fleet-health.downtime[" + index + "]";
			if (window.workers().isEmpty()) {
				throw new InvalidSettingException(name + ".workers is empty: name the workers (or patterns) it covers");
			}
			this.workers = window.workers().stream().map(Presences::glob).toList();
			this.zone = zone(name, window.zone());
			boolean recurring = window.from() != null || window.to() != null;
			boolean oneOff = window.start() != null || window.end() != null;
			if (recurring == oneOff) {
				throw new InvalidSettingException(name + " needs either .from and .to (a recurring window, with"
						+ " optional .days and .zone) or .start and .end (a one-off window)");
			}
			if (recurring) {
				this.from = time(name + ".from", window.from());
				this.to = time(name + ".to", window.to());
				this.days = days(name, window.days());
				this.start = null;
				this.end = null;
			}
			else {
				this.start = instant(name + ".start", window.start());
				this.end = instant(name + ".end", window.end());
				if (!this.end.isAfter(this.start)) {
					throw new InvalidSettingException(name + ".end (" + window.end() + ") is not after .start ("
							+ window.start() + ")");
				}
				this.from = null;
				this.to = null;
				this.days = Set.of();
			}
		}

		static Rule of(int index, DowntimeProperties.Window window) {
			return new Rule(index, window);
		}

		String describe() {
			return "fleet-health.downtime[" + this.index + "] (workers "
					+ this.window.workers().stream().map((w) -> "'" + w + "'").collect(Collectors.joining(", ")) + ")";
		}

		boolean covers(String worker) {
			return this.workers.stream().anyMatch((p) -> p.matcher(worker).matches());
		}

		Stream<Occurrence> occurrences(Instant from, Instant to) {
			if (this.start != null) {
				return (this.end.isAfter(from) && this.start.isBefore(to))
						? Stream.of(new Occurrence(this.start, this.end, reason())) : Stream.empty();
			}
			List<Occurrence> found = new ArrayList<>();
			LocalDate day = from.atZone(this.zone).toLocalDate().minusDays(1);
			LocalDate last = to.atZone(this.zone).toLocalDate();
			for (; !day.isAfter(last); day = day.plusDays(1)) {
				if (!this.days.contains(day.getDayOfWeek())) {
					continue;
				}
				ZonedDateTime s = day.atTime(this.from).atZone(this.zone);
				ZonedDateTime e = (this.to.isAfter(this.from) ? day : day.plusDays(1)).atTime(this.to).atZone(this.zone);
				if (e.toInstant().isAfter(from) && s.toInstant().isBefore(to)) {
					found.add(new Occurrence(s.toInstant(), e.toInstant(), reason()));
				}
			}
			return found.stream();
		}

		private String reason() {
			if (this.window.reason() != null && !this.window.reason().isBlank()) {
				return this.window.reason();
			}
			if (this.start != null) {
				return "planned downtime " + this.start + " to " + this.end;
			}
			String on = (this.days.size() == 7) ? "daily"
					: String.join(", ", this.days.stream()
						.sorted()
						.map((d) -> d.getDisplayName(TextStyle.SHORT, Locale.ROOT))
						.toList());
			return "planned downtime " + on + " " + this.from + "-" + this.to + " " + this.zone;
		}

		private static ZoneId zone(String name, String zone) {
			if (zone == null || zone.isBlank()) {
				return ZoneOffset.UTC;
			}
			try {
				return ZoneId.of(zone.strip());
			}
			catch (RuntimeException ex) {
				throw new InvalidSettingException(name + ".zone '" + zone + "' is not an IANA zone such as"
						+ " America/Los_Angeles or UTC", ex);
			}
		}

		private static LocalTime time(String name, String value) {
			if (value == null) {
				throw new InvalidSettingException(name + " is missing (a time of day such as 08:00)");
			}
			try {
				return LocalTime.parse(value.strip());
			}
			catch (DateTimeParseException ex) {
				throw new InvalidSettingException(name + " '" + value + "' is not a time of day such as 08:00", ex);
			}
		}

		private static Instant instant(String name, String value) {
			if (value == null) {
				throw new InvalidSettingException(name + " is missing (ISO-8601 with an offset, such as"
						+ " 2026-12-24T00:00:00Z)");
			}
			try {
				return OffsetDateTime.parse(value.strip()).toInstant();
			}
			catch (DateTimeParseException ex) {
				throw new InvalidSettingException(name + " '" + value + "' is not ISO-8601 with an offset, such as"
						+ " 2026-12-24T00:00:00Z", ex);
			}
		}

		private static Set<DayOfWeek> days(String name, List<String> days) {
			if (days.isEmpty()) {
				return EnumSet.allOf(DayOfWeek.class);
			}
			Set<DayOfWeek> parsed = EnumSet.noneOf(DayOfWeek.class);
			for (String day : days) {
				String d = day.strip().toUpperCase(Locale.ROOT);
				DayOfWeek match = null;
				for (DayOfWeek candidate : DayOfWeek.values()) {
					if (candidate.name().equals(d) || candidate.name().substring(0, 3).equals(d)) {
						match = candidate;
					}
				}
				if (match == null) {
					throw new InvalidSettingException(name + ".days: '" + day + "' is not a day (MON..SUN or MONDAY..)");
				}
				parsed.add(match);
			}
			return parsed;
		}

	}

}
