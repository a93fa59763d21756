package org.fleethealth.fleet.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.fleethealth.source.SourceBuilder;
import org.fleethealth.fleet.FleetBuilder;

/** A builder of a master; its tags are its build classes. */
@Entity
@Table(name = "builder")
public class Builder {

	/** Bounds of the columns that take text from the master (V1). */
	static final int MAX_NAME = 500;

	static final int MAX_TAGS = 2000;

	static final int MAX_DESCRIPTION = 2000;

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String master;

	private long buildbotId;

	private String name;

	private String tags = "";

	private String description;

	@Column(name = "current_")
	private boolean current;

	// Both written only by BuildStore with SQL as builds are stored (see Worker#lastBuildFinishedAt).
	@Column(insertable = false, updatable = false)
	private Instant lastBuildFinishedAt;

	@Column(insertable = false, updatable = false)
	private Long lastDecisiveBuildId;

	protected Builder() {
	}

	Builder(String master, long buildbotId) {
		this.master = master;
		this.buildbotId = buildbotId;
	}

	void update(SourceBuilder seen, boolean current) {
		this.name = seen.name();
		this.tags = String.join(",", seen.tags());
		this.description = seen.description();
		this.current = current;
	}

	/** Whether a configured worker of its master serves it (set again when the workers' builders change). */
	void current(boolean current) {
		this.current = current;
	}

	public String getMaster() {
		return this.master;
	}

	public long getBuildbotId() {
		return this.buildbotId;
	}

	public String getName() {
		return this.name;
	}

	public List<String> getTags() {
		return (this.tags == null || this.tags.isEmpty()) ? List.of() : Arrays.asList(this.tags.split(","));
	}

	public String getDescription() {
		return this.description;
	}

	/** When it last finished a build, as far as stored builds tell. */
	public Instant getLastBuildFinishedAt() {
		return this.lastBuildFinishedAt;
	}

	/** Its newest finished build that says something about the code ({@link Build#DECISIVE_RESULTS}), if any. */
	public Long getLastDecisiveBuildId() {
		return this.lastDecisiveBuildId;
	}

	/** Whether some worker is configured on it (Buildbot keeps old builders listed). */
	public boolean isCurrent() {
		return this.current;
	}

	/** What other modules read of it. */
	public FleetBuilder view() {
		return new FleetBuilder(this.master, this.buildbotId, this.name, getTags(), this.description, this.current,
				this.lastBuildFinishedAt, this.lastDecisiveBuildId);
	}
}
