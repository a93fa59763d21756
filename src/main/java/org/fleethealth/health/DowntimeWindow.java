package org.fleethealth.health;

import java.time.DayOfWeek;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.fleethealth.system.InvalidSettingException;

/**
 * One configured planned downtime window, {@code fleet-health.downtime[N]}, parsed: a recurring window (days, times
 * of day and zone) or a one-off one (start and end); the workers it covers, and its occurrences in a span of time.
 * A setting that does not parse stops the start ({@link InvalidSettingException} naming it).
 */
final class DowntimeWindow {

	private final int index;

	private final DowntimeProperties.Window window;

	private final List<Pattern> workers;

	private final Set<DayOfWeek> days;

	private final LocalTime from;

	private final LocalTime to;

	private final ZoneId zone;

	private final Instant start;

	private final Instant end;

	private DowntimeWindow(int index, DowntimeProperties.Window window) {
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

	static DowntimeWindow of(int index, DowntimeProperties.Window window) {
		return new DowntimeWindow(index, window);
	}

	/** Its index {@code N} in {@code fleet-health.downtime[N]}. */
	int index() {
		return this.index;
	}

	/** The worker names or patterns it covers, as configured. */
	List<String> workers() {
		return this.window.workers();
	}

	/** Whether it is a one-off window ({@code .start} / {@code .end}) rather than a recurring one. */
	boolean oneOff() {
		return this.start != null;
	}

	/** A one-off window's end, or {@code null} for a recurring window. */
	Instant oneOffEnd() {
		return this.end;
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

	/** One occurrence of a window: when it starts and ends, and what it is for. */
	record Occurrence(Instant start, Instant end, String reason) {
	}

}
