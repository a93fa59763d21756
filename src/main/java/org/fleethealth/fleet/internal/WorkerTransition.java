package org.fleethealth.fleet.internal;

import java.time.Instant;
import java.util.Locale;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.fleethealth.fleet.WorkerChange;


/** A change of a worker seen by a poll: it connected or disconnected, or was paused or unpaused (by anyone). */
@Entity
@Table(name = "worker_transition")
public class WorkerTransition {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private Long workerId;

	// Kept for the connection kinds (the column predates pauses): true for a connect.
	private boolean connected;

	@Convert(converter = KindColumn.class)
	private WorkerChange.Kind kind;

	private String detail;

	@Column(name = "occurred_at")
	private Instant at;

	protected WorkerTransition() {
	}

	WorkerTransition(Long workerId, WorkerChange.Kind kind, Instant at, String detail) {
		this.workerId = workerId;
		this.kind = kind;
		this.connected = kind == WorkerChange.Kind.CONNECTED;
		this.at = at;
		this.detail = (detail != null && detail.length() > 500) ? detail.substring(0, 500) : detail;
	}

	public Long getWorkerId() {
		return this.workerId;
	}

	public WorkerChange.Kind getKind() {
		return this.kind;
	}

	/** Whether this is a connect (the other kinds are a disconnect, a pause, an unpause). */
	public boolean isConnected() {
		return this.kind == WorkerChange.Kind.CONNECTED;
	}

	/** Whether this is a disconnect. */
	public boolean isDisconnect() {
		return this.kind == WorkerChange.Kind.DISCONNECTED;
	}

	/** What else is known: for a pause, the reason the master gives. */
	public String getDetail() {
		return this.detail;
	}

	public Instant getAt() {
		return this.at;
	}

	/** What other modules read of it. */
	public WorkerChange view() {
		return new WorkerChange(this.workerId, this.kind, this.at, this.detail);
	}

	/** Stored as the lower-case label. */
	@Converter
	static class KindColumn implements AttributeConverter<WorkerChange.Kind, String> {

		@Override
		public String convertToDatabaseColumn(WorkerChange.Kind kind) {
			return (kind != null) ? kind.label() : null;
		}

		@Override
		public WorkerChange.Kind convertToEntityAttribute(String column) {
			return (column != null) ? WorkerChange.Kind.valueOf(column.toUpperCase(Locale.ROOT)) : null;
		}

	}

}
