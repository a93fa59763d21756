package org.fleethealth.web;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;

import org.fleethealth.health.WorkerReport;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.health.WorkerState;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The overview's filters and sort order, as given in the query string, and the links that change one of them
 * while keeping the others. No state means "every worker that is not healthy"; {@code all} means every worker.
 *
 * @param state a state, all of them, or {@code null}
 * @param master a master name or {@code null}
 * @param buildClass a build class or {@code null}
 * @param sort a column, {@code -} in front for descending, or {@code null} for the default (state)
 */
public record OverviewFilter(StateChoice state, String master, String buildClass, String sort) {

	private static final Comparator<String> TEXT = Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER);

	/** The sortable columns. */
	static final Map<String, Comparator<WorkerReport>> COLUMNS = Map.of("state", WorkerReports.bySeverity(),
			"worker", Comparator.comparing(WorkerReport::name).thenComparing(WorkerReport::master), "master",
			Comparator.comparing(WorkerReport::master).thenComparing(WorkerReports.bySeverity()), "since",
			Comparator.comparing(WorkerReport::since, Comparator.nullsLast(Comparator.naturalOrder()))
				.thenComparing(WorkerReports.bySeverity()),
			"owner", Comparator.comparing(OverviewFilter::owner, TEXT).thenComparing(WorkerReports.bySeverity()));

	/** Normalizes blank parameters (an unselected form field) to {@code null}. */
	public OverviewFilter {
		master = blankToNull(master);
		buildClass = blankToNull(buildClass);
		sort = blankToNull(sort);
	}

	/** The state filter as the query string has it ({@code all} or a state's label), {@code null} for none. */
	public String stateLabel() {
		return (this.state != null) ? this.state.label() : null;
	}

	boolean matches(WorkerReport w) {
		boolean stateMatches = (this.state != null) ? this.state.matches(w.state()) : w.state() != WorkerState.HEALTHY;
		return stateMatches && (this.master == null || this.master.equals(w.master()))
				&& (this.buildClass == null || w.classes().stream().anyMatch(this.buildClass::equalsIgnoreCase));
	}

	/** The order asked for; an unknown column is an error. */
	Comparator<WorkerReport> order() {
		String column = sortColumn();
		Comparator<WorkerReport> order = COLUMNS.get(column);
		if (order == null) {
			throw new IllegalArgumentException("Unknown sort '" + this.sort + "'; expected one of "
					+ String.join(", ", COLUMNS.keySet().stream().sorted().toList()) + ", with '-' in front for descending");
		}
		return descending() ? order.reversed() : order;
	}

	private String sortColumn() {
		if (this.sort == null) {
			return "state";
		}
		return (descending() ? this.sort.substring(1) : this.sort).toLowerCase(Locale.ROOT);
	}

	private boolean descending() {
		return this.sort != null && this.sort.startsWith("-");
	}

	/** Whether only the default filter (not healthy, every master and class) is in force. */
	public boolean isDefault() {
		return this.state == null && this.master == null && this.buildClass == null;
	}

	/** A link to the overview sorted by a column: ascending first, a second click turns it around. */
	public String sortHref(String column) {
		boolean ascendingNow = column.equals(sortColumn()) && !descending();
		return href(stateLabel(), this.master, this.buildClass, ascendingNow ? "-" + column : column);
	}

	/** An arrow for the column the table is sorted by. */
	public String sortMark(String column) {
		if (!column.equals(sortColumn())) {
			return "";
		}
		return descending() ? "▼" : "▲";
	}

	private static String href(String state, String master, String buildClass, String sort) {
		UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/");
		if (state != null) {
			uri.queryParam("state", state);
		}
		if (master != null) {
			uri.queryParam("master", master);
		}
		if (buildClass != null) {
			uri.queryParam("class", buildClass);
		}
		if (sort != null) {
			uri.queryParam("sort", sort);
		}
		return uri.encode().build().toUriString();
	}

	private static String owner(WorkerReport w) {
		if (w.owner() == null) {
			return null;
		}
		return (w.owner().name() != null) ? w.owner().name() : w.owner().email();
	}

	private static String blankToNull(String s) {
		return (s == null || s.isBlank()) ? null : s.strip();
	}

}
