package org.fleethealth.web;

import org.fleethealth.health.WorkerState;

/**
 * The overview's state filter: one state, or {@link #ALL} of them ({@code ?state=all}). No choice at all means
 * every state but healthy. Converted from the parameter once, in {@link WebConfiguration}.
 *
 * @param state the state chosen, {@code null} for all
 */
public record StateChoice(WorkerState state) {

	static final String ALL_LABEL = "all";

	/** Every state, healthy too. */
	public static final StateChoice ALL = new StateChoice(null);

	/** {@code all} or a state's label; an unknown one is an {@link IllegalArgumentException}. */
	static StateChoice of(String label) {
		if (ALL_LABEL.equals(label)) {
			return ALL;
		}
		try {
			return new StateChoice(WorkerState.fromLabel(label));
		}
		catch (IllegalArgumentException ex) {
			// The overview takes 'all' too, which the state's own message cannot know.
			throw new IllegalArgumentException(ex.getMessage() + ", or all", ex);
		}
	}

	/** What the query string says: {@code all} or the state's label. */
	public String label() {
		return (this.state != null) ? this.state.label() : ALL_LABEL;
	}

	boolean matches(WorkerState s) {
		return this.state == null || this.state == s;
	}

	@Override
	public String toString() {
		return label();
	}

}
