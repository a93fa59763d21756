package org.fleethealth.health;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Planned downtime windows ({@code fleet-health.downtime[N].*}), as CPython's {@code worker_downtime.py} keeps them:
 * a worker that is disconnected, paused or idle inside one is {@code paused}, its offline clock stops, and it is
 * neither mailed nor proposed for removal.
 *
 * @param downtime the windows
 */
@ConfigurationProperties("fleet-health")
public record DowntimeProperties(List<Window> downtime) {

	/** @throws org.fleethealth.system.InvalidSettingException for a window that is not one (a time, zone or day) */
	public DowntimeProperties {
		downtime = (downtime != null) ? List.copyOf(downtime) : List.of();
		Downtimes.rules(downtime);
	}

	/**
	 * One window: recurring ({@code days}, {@code from}, {@code to} in {@code zone}) or one-off ({@code start},
	 * {@code end}).
	 *
	 * @param workers worker names or patterns ({@code *} any characters, {@code ?} one)
	 * @param days the days it recurs on ({@code MON}..{@code SUN} or full names); none: every day
	 * @param from when it starts on those days ({@code 08:00})
	 * @param to when it ends ({@code 10:00}); earlier than {@code from}: the next day (a nightly window)
	 * @param zone the IANA zone of {@code from}/{@code to} ({@code America/Los_Angeles}); default UTC
	 * @param start a one-off window's start, ISO-8601 with an offset ({@code 2026-12-24T00:00:00Z})
	 * @param end a one-off window's end
	 * @param reason what it is for, shown in evidence ("weekly maintenance"); default: the window's own times
	 */
	public record Window(List<String> workers, List<String> days, String from, String to, String zone, String start,
			String end, String reason) {

		public Window {
			workers = (workers != null) ? List.copyOf(workers) : List.of();
			days = (days != null) ? List.copyOf(days) : List.of();
		}

	}

}
