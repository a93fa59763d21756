package org.fleethealth.fleet.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.fleethealth.source.BuildResult;
import org.fleethealth.system.FreeText;
import org.fleethealth.fleet.FleetBuild;


/** One build as polled, with the name of its first failing step once the steps were read. */
@Entity
@Table(name = "build")
public class Build {

	/** The codes of {@link BuildResult#decisive()} results, for queries: those that say something about the code. */
	public static final Set<Integer> DECISIVE_RESULTS = Arrays.stream(BuildResult.values())
		.filter(BuildResult::decisive)
		.map(BuildResult::code)
		.collect(Collectors.toUnmodifiableSet());

	static final int MAX_REVISION = 500;

	static final int MAX_STATE_STRING = 1000;

	static final int MAX_FAILING_STEP = 500;

	static final int MAX_BRANCH = 200;

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String master;

	private long buildbotId;

	private int number;

	private long builderBuildbotId;

	private Long workerBuildbotId;

	private Instant startedAt;

	private Instant completeAt;

	private boolean complete;

	private Integer results;

	private String revision;

	private String stateString;

	private String failingStep;

	private String branch;

	private boolean stepsFetched;

	protected Build() {
	}

	/** Cuts a text to its column's size (the schema's varchar lengths). */
	static String truncate(String s, int max) {
		return FreeText.fit(s, max);
	}

	public String getMaster() {
		return this.master;
	}

	public long getBuildbotId() {
		return this.buildbotId;
	}

	public int getNumber() {
		return this.number;
	}

	public long getBuilderBuildbotId() {
		return this.builderBuildbotId;
	}

	public Long getWorkerBuildbotId() {
		return this.workerBuildbotId;
	}

	public Instant getStartedAt() {
		return this.startedAt;
	}

	public Instant getCompleteAt() {
		return this.completeAt;
	}

	public boolean isComplete() {
		return this.complete;
	}

	public Integer getResults() {
		return this.results;
	}

	public String getRevision() {
		return this.revision;
	}

	public String getStateString() {
		return this.stateString;
	}

	public String getFailingStep() {
		return this.failingStep;
	}

	/** The build's {@code branch} property, or {@code null}. */
	public String getBranch() {
		return this.branch;
	}

	/** What other modules read of it. */
	public FleetBuild view() {
		return new FleetBuild(this.master, this.buildbotId, this.number, this.builderBuildbotId, this.workerBuildbotId,
				this.startedAt, this.completeAt, this.complete, this.results, this.revision, this.stateString,
				this.failingStep, this.branch);
	}
}
