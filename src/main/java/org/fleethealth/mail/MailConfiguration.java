package org.fleethealth.mail;

import java.util.TimeZone;

import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Schedules the digest (cron, UTC) and the outbox delivery. A run cut short by an instance that died is run
 * again by another one (Quartz recovery): both are safe to repeat, since the outbox key (kind, recipient,
 * period) queues a message once and delivery marks each message sent.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "fleet-health.mail.enabled", havingValue = "true", matchIfMissing = true)
class MailConfiguration {

	@Bean
	JobDetail onceOverJob() {
		return JobBuilder.newJob(MailJobs.OnceOver.class)
			.withIdentity("once-over", "mail")
			.withDescription("Queues the weekly once-over digest for every owner")
			.storeDurably()
			.requestRecovery()
			.build();
	}

	@Bean
	Trigger onceOverTrigger(JobDetail onceOverJob, MailProperties properties) {
		// A digest missed while the service was down is sent once on recovery, never as a burst; the
		// outbox key (owner, ISO week) keeps it to one per week anyway.
		return TriggerBuilder.newTrigger()
			.forJob(onceOverJob)
			.withIdentity("once-over", "mail")
			.withSchedule(CronScheduleBuilder.cronSchedule(properties.onceOverCron())
				.inTimeZone(TimeZone.getTimeZone("UTC"))
				.withMisfireHandlingInstructionFireAndProceed())
			.build();
	}

	@Bean
	JobDetail deliverMailJob() {
		return JobBuilder.newJob(MailJobs.Deliver.class)
			.withIdentity("deliver-mail", "mail")
			.withDescription("Delivers pending messages from the outbox")
			.storeDurably()
			.requestRecovery()
			.build();
	}

	@Bean
	Trigger deliverMailTrigger(JobDetail deliverMailJob, MailProperties properties) {
		return TriggerBuilder.newTrigger()
			.forJob(deliverMailJob)
			.withIdentity("deliver-mail", "mail")
			.startNow()
			.withSchedule(SimpleScheduleBuilder.simpleSchedule()
				.withIntervalInMilliseconds(properties.sendInterval().toMillis())
				.repeatForever()
				.withMisfireHandlingInstructionNextWithRemainingCount())
			.build();
	}

}
