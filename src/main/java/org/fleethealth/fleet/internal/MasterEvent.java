package org.fleethealth.fleet.internal;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.fleethealth.fleet.MasterInterruption;

/** Something that happened to a master as a whole: see {@link MasterInterruption.Kind}. */
@Entity
@Table(name = "master_event")
public class MasterEvent {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String master;

	@Enumerated(EnumType.STRING)
	private MasterInterruption.Kind kind;

	private Instant startedAt;

	private Instant endedAt;

	private Integer workersAffected;

	private Integer workersTotal;

	private String detail;

	protected MasterEvent() {
	}

	MasterEvent(String master, MasterInterruption.Kind kind, Instant startedAt, Instant endedAt, String detail) {
		this.master = master;
		this.kind = kind;
		this.startedAt = startedAt;
		this.endedAt = endedAt;
		this.detail = (detail != null && detail.length() > 1000) ? detail.substring(0, 1000) : detail;
	}

	MasterEvent affecting(int affected, int total) {
		this.workersAffected = affected;
		this.workersTotal = total;
		return this;
	}

	void end(Instant at) {
		this.endedAt = at;
	}

	public MasterInterruption view() {
		return new MasterInterruption(this.kind, this.startedAt, this.endedAt, this.workersAffected,
				this.workersTotal, this.detail);
	}

	Instant getStartedAt() {
		return this.startedAt;
	}

}
