package org.fleethealth.fleet.internal;

import org.fleethealth.fleet.PollService;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.springframework.scheduling.quartz.QuartzJobBean;

/** The Quartz jobs of polling: thin, they only hand over to {@link PollService}. */
public final class PollJobs {

	private PollJobs() {
	}

	/** Reads worker heartbeats (connection state). */
	@DisallowConcurrentExecution
	static class Workers extends QuartzJobBean {

		private final PollService polls;

		Workers(PollService polls) {
			this.polls = polls;
		}

		@Override
		protected void executeInternal(JobExecutionContext context) {
			this.polls.pollWorkers();
		}

	}

	/** Reads builders, new builds and failing steps. */
	@DisallowConcurrentExecution
	static class Builds extends QuartzJobBean {

		private final PollService polls;

		Builds(PollService polls) {
			this.polls = polls;
		}

		@Override
		protected void executeInternal(JobExecutionContext context) {
			this.polls.pollBuilds();
		}

	}

}
