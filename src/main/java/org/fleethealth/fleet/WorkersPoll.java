package org.fleethealth.fleet;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.fleethealth.fleet.internal.PollRuns;
import org.fleethealth.fleet.internal.WorkerReads;
import org.fleethealth.source.FleetSource;
import org.springframework.stereotype.Component;

/** The workers poll of masters: their workers' connection state, or only the rest while their stream is live. */
@Component
class WorkersPoll {

	private final PollAttempts attempts;

	private final WorkerReads workerReads;

	private final PollProperties properties;

	private final PollRuns runs;

	WorkersPoll(PollAttempts attempts, WorkerReads workerReads, PollProperties properties, PollRuns runs) {
		this.attempts = attempts;
		this.workerReads = workerReads;
		this.properties = properties;
		this.runs = runs;
	}

	/** Polls each master's workers; returns the masters polled, in order. */
	Set<String> poll(List<FleetSource> sources, PollAttempts.Occasion occasion) {
		Set<String> polled = new LinkedHashSet<>();
		for (FleetSource source : sources) {
			polled.add(source.masterName());
			this.attempts.lock(source).lock();
			try {
				if (occasion == PollAttempts.Occasion.SCHEDULED && !this.runs.stopping()
						&& this.attempts.heardLive(source.masterName(), PollKind.WORKERS)) {
					// The stream keeps the connections current; the rest of a workers poll it does not carry.
					this.workerReads.readHeardLive(source);
				}
				else {
					this.attempts.attempt(source, PollKind.WORKERS, this.properties.workersInterval(), occasion,
							() -> this.workerReads.read(source));
				}
			}
			finally {
				this.attempts.lock(source).unlock();
			}
		}
		return polled;
	}

}
