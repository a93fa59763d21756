package org.fleethealth.pruning;

import java.time.Instant;
import java.time.LocalDate;

/** An owner reply as the API, pages and mails show it. */
public record ReplyView(String master, String worker, String owner, ReplyAction action, LocalDate backBy,
		String note, Instant at) {

	static ReplyView of(OwnerReply r) {
		return new ReplyView(r.getMaster(), r.getWorker(), r.getOwnerEmail(), r.getAction(), r.getBackBy(),
				r.getNote(), r.getCreatedAt());
	}

	/** One line, as a digest or a table shows it. */
	public String summary() {
		return switch (this.action) {
			case BACK_BY -> "back by " + this.backBy;
			case INVESTIGATING -> "investigating";
			case RETIRE -> "retire it";
			case FIXED -> "fixed";
		} + ((this.note != null && !this.note.isBlank()) ? " (\"" + this.note + "\")" : "");
	}

}
