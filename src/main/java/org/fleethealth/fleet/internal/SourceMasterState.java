package org.fleethealth.fleet.internal;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.fleethealth.source.SourceMaster;

/** One Buildbot master process behind a watched API, as last seen: its heartbeat tells restarts apart. */
@Entity
@Table(name = "source_master")
public class SourceMasterState {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String master;

	private long buildbotId;

	private String name;

	private boolean active;

	private Instant lastActive;

	private Instant seenAt;

	protected SourceMasterState() {
	}

	SourceMasterState(String master, long buildbotId) {
		this.master = master;
		this.buildbotId = buildbotId;
	}

	void seen(SourceMaster seen, Instant now) {
		this.name = (seen.name() != null && seen.name().length() > 500) ? seen.name().substring(0, 500) : seen.name();
		this.active = seen.active();
		this.lastActive = seen.lastActive();
		this.seenAt = now;
	}

	boolean isNew() {
		return this.id == null;
	}

	public long getBuildbotId() {
		return this.buildbotId;
	}

	public String getName() {
		return this.name;
	}

	public boolean isActive() {
		return this.active;
	}

	public Instant getLastActive() {
		return this.lastActive;
	}

}
