package org.fleethealth.system;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.quartz.QuartzJobBean;

/**
 * Schedules {@link EventRetries}. A Quartz job like the polls, so in clustered mode one instance at a time
 * resubmits, not every instance the same publications.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "fleet-health.poll.enabled", havingValue = "true", matchIfMissing = true)
class EventConfiguration {

	@Bean
	JobDetail retryEventsJob() {
		return JobBuilder.newJob(RetryJob.class)
			.withIdentity("retry-events", "system")
			.withDescription("Runs failed or cut-short reactions to events again")
			.storeDurably()
			.build();
	}

	@Bean
	Trigger retryEventsTrigger(JobDetail retryEventsJob, EventProperties properties) {
		return TriggerBuilder.newTrigger()
			.forJob(retryEventsJob)
			.withIdentity("retry-events", "system")
			.startNow()
			.withSchedule(SimpleScheduleBuilder.simpleSchedule()
				.withIntervalInMilliseconds(properties.retryInterval().toMillis())
				.repeatForever()
				.withMisfireHandlingInstructionNextWithRemainingCount())
			.build();
	}

	/** Thin: hands over to {@link EventRetries}. */
	@DisallowConcurrentExecution
	static class RetryJob extends QuartzJobBean {

		private final EventRetries retries;

		RetryJob(EventRetries retries) {
			this.retries = retries;
		}

		@Override
		protected void executeInternal(JobExecutionContext context) {
			this.retries.retry();
		}

	}

}
