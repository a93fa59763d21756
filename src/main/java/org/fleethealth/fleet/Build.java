package org.fleethealth.fleet;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.fleethealth.source.SourceBuild;

/** One build as polled, with the name of its first failing step once the steps were read. */
@Entity
@Table(name = "build")
public class Build {

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

	private boolean stepsFetched;

	protected Build() {
	}

	Build(String master, long buildbotId) {
		this.master = master;
		this.buildbotId = buildbotId;
	}

	void update(SourceBuild seen) {
		this.number = seen.number();
		this.builderBuildbotId = seen.builderId();
		this.workerBuildbotId = seen.workerId();
		this.startedAt = seen.startedAt();
		this.completeAt = seen.completeAt();
		this.complete = seen.complete();
		this.results = seen.results();
		this.revision = (seen.revision() != null && seen.revision().length() > 500)
				? seen.revision().substring(0, 500) : seen.revision();
		this.stateString = (seen.stateString() != null && seen.stateString().length() > 1000)
				? seen.stateString().substring(0, 1000) : seen.stateString();
	}

	void failingStep(String step) {
		this.failingStep = step;
		this.stepsFetched = true;
	}

	/** Whether knowing the failing step matters: it finished and did not succeed. */
	boolean needsSteps() {
		return this.complete && !this.stepsFetched && this.results != null && this.results != 0
				&& this.results != 1 && this.results != 3 && this.results != 6;
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

}
