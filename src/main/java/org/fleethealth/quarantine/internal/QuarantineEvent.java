package org.fleethealth.quarantine.internal;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.fleethealth.system.FreeText;

/** One step of a quarantine, with who took it: proposed, refused, paused, released... (V30). */
@Entity
@Table(name = "quarantine_event")
public class QuarantineEvent {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private Long quarantineId;

	private String master;

	private String worker;

	private String kind;

	@Column(name = "occurred_at")
	private Instant at;

	private String byWhom;

	private String detail;

	protected QuarantineEvent() {
	}

	public QuarantineEvent(Quarantine q, String kind, Instant at, String by, String detail) {
		this.quarantineId = q.getId();
		this.master = q.getMaster();
		this.worker = q.getWorker();
		this.kind = kind;
		this.at = at;
		this.byWhom = FreeText.fit(by, 200);
		this.detail = FreeText.fit(detail, 2000);
	}

	public Long getQuarantineId() {
		return this.quarantineId;
	}

	public String getKind() {
		return this.kind;
	}

	public Instant getAt() {
		return this.at;
	}

	public String getByWhom() {
		return this.byWhom;
	}

	public String getDetail() {
		return this.detail;
	}

}
