package org.fleethealth.fleet;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.fleethealth.fleet.internal.BuildReads;
import org.fleethealth.fleet.internal.BuildStore;
import org.fleethealth.source.FleetSource;
import org.springframework.stereotype.Component;

/** The builds poll of masters: their builders, new builds and builds seen running, and the steps of failed builds. */
@Component
class BuildsPoll {

	private final PollAttempts attempts;

	private final BuildStore buildStore;

	private final BuildReads buildReads;

	private final PollProperties properties;

	BuildsPoll(PollAttempts attempts, BuildStore buildStore, BuildReads buildReads, PollProperties properties) {
		this.attempts = attempts;
		this.buildStore = buildStore;
		this.buildReads = buildReads;
		this.properties = properties;
	}

	/**
	 * Polls each master's builders (if {@code builders}), then its builds if those were read (and the builders
	 * after them when builds finished on a builder not stored yet), then the steps of failed builds if the builds
	 * were. Returns the masters polled, in order.
	 */
	Set<String> poll(List<FleetSource> sources, PollAttempts.Occasion occasion, boolean builders) {
		Set<String> polled = new LinkedHashSet<>();
		for (FleetSource source : sources) {
			polled.add(source.masterName());
			// One builds poll of a master at a time: the job's and one its stream asked for would store the same
			// builds twice.
			this.attempts.lock(source).lock();
			try {
				Duration interval = this.properties.buildsInterval();
				// A builds poll of a master heard live that failed is tried again by the job without the builders,
				// which the reconciliation reads (they would be skipped as heard live, and the builds with them).
				boolean retrying = occasion == PollAttempts.Occasion.SCHEDULED
						&& this.attempts.failingWhileLive(source.masterName(), PollKind.BUILDS);
				boolean ok = !builders || retrying || this.attempts.attempt(source, PollKind.BUILDERS, interval, occasion,
						() -> this.buildStore.saveBuilders(source.masterName(), source.builders()));
				ok = ok && this.attempts.attempt(source, PollKind.BUILDS, interval, occasion,
						() -> this.buildReads.read(source));
				if (ok && this.buildStore.takeUnknownBuilders(source.masterName())) {
					// Builds finished on a builder added since the builders were read: read them now, so the
					// builds are judged and shown by the builder's name.
					this.attempts.attempt(source, PollKind.BUILDERS, interval, occasion,
							() -> this.buildStore.saveBuilders(source.masterName(), source.builders()));
				}
				if (ok) {
					this.attempts.attempt(source, PollKind.STEPS, interval, occasion, () -> this.buildReads.readSteps(source));
				}
			}
			finally {
				this.attempts.lock(source).unlock();
			}
		}
		return polled;
	}

}
