package org.fleethealth.fleet.internal;

import org.fleethealth.fleet.PollProperties;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Schedules the poll jobs. A missed run is not caught up in a burst: the next one simply comes at its
 * interval. A run cut short by an instance that died is run again by another one (Quartz recovery): a poll
 * is safe to repeat, since builds are read by cursor and everything stored is an upsert.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "fleet-health.poll.enabled", havingValue = "true", matchIfMissing = true)
public class PollingConfiguration {

	@Bean
	JobDetail pollWorkersJob() {
		return JobBuilder.newJob(PollJobs.Workers.class)
			.withIdentity("poll-workers", "fleet")
			.withDescription("Reads worker connection state from every master")
			.storeDurably()
			.requestRecovery()
			.build();
	}

	@Bean
	Trigger pollWorkersTrigger(JobDetail pollWorkersJob, PollProperties properties) {
		return TriggerBuilder.newTrigger()
			.forJob(pollWorkersJob)
			.withIdentity("poll-workers", "fleet")
			.startNow()
			.withSchedule(SimpleScheduleBuilder.simpleSchedule()
				.withIntervalInMilliseconds(properties.workersInterval().toMillis())
				.repeatForever()
				.withMisfireHandlingInstructionNextWithRemainingCount())
			.build();
	}

	@Bean
	JobDetail pollBuildsJob() {
		return JobBuilder.newJob(PollJobs.Builds.class)
			.withIdentity("poll-builds", "fleet")
			.withDescription("Reads builders, new builds and failing steps from every master")
			.storeDurably()
			.requestRecovery()
			.build();
	}

	@Bean
	Trigger pollBuildsTrigger(JobDetail pollBuildsJob, PollProperties properties) {
		return TriggerBuilder.newTrigger()
			.forJob(pollBuildsJob)
			.withIdentity("poll-builds", "fleet")
			.startNow()
			.withSchedule(SimpleScheduleBuilder.simpleSchedule()
				.withIntervalInMilliseconds(properties.buildsInterval().toMillis())
				.repeatForever()
				.withMisfireHandlingInstructionNextWithRemainingCount())
			.build();
	}

}
