package org.fleethealth.system;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.quartz.CronTrigger;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Brings the schedules stored in the database in line with the configuration, before the scheduler starts,
 * touching only what changed. An instance that (re)starts with the same configuration leaves the stored
 * triggers alone: replacing them would reset their progress, so a firing another instance already ran could
 * run again, and a digest missed while every instance was down would be forgotten instead of fired once. A
 * changed cron or interval replaces that trigger, starting from now.
 */
class StoredSchedules implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(StoredSchedules.class);

	private final Scheduler scheduler;

	private final List<JobDetail> jobs;

	private final List<Trigger> triggers;

	private final TransactionTemplate transactions;

	private final Clock clock;

	StoredSchedules(Scheduler scheduler, List<JobDetail> jobs, List<Trigger> triggers,
			PlatformTransactionManager transactions, Clock clock) {
		this.scheduler = scheduler;
		this.jobs = jobs;
		this.triggers = triggers;
		this.transactions = new TransactionTemplate(transactions);
		this.clock = clock;
	}

	@Override
	public void afterSingletonsInstantiated() {
		// LocalDataSourceJobStore takes Quartz's locks in the surrounding Spring transaction.
		this.transactions.executeWithoutResult((tx) -> {
			try {
				sync();
			}
			catch (SchedulerException ex) {
				throw new IllegalStateException("Cannot update the stored schedules: " + ex.getMessage(), ex);
			}
		});
	}

	private void sync() throws SchedulerException {
		for (JobDetail job : this.jobs) {
			JobDetail stored = this.scheduler.getJobDetail(job.getKey());
			if (stored != null && !sameJob(stored, job)) {
				logger.info("Job '" + job.getKey().getName() + "' changed in this version: replacing the stored one");
				this.scheduler.addJob(job, true);
			}
		}
		for (Trigger trigger : this.triggers) {
			Trigger stored = this.scheduler.getTrigger(trigger.getKey());
			if (stored != null && !sameSchedule(stored, trigger)) {
				Trigger fresh = trigger.getTriggerBuilder().startAt(Date.from(this.clock.instant())).build();
				Date first = this.scheduler.rescheduleJob(trigger.getKey(), fresh);
				logger.info("Schedule of '" + trigger.getKey().getName() + "' changed from " + describe(stored) + " to "
						+ describe(trigger) + ": replaced; next run "
						+ ((first != null) ? Durations.at(first.toInstant()) : "never"));
			}
		}
	}

	static boolean sameJob(JobDetail a, JobDetail b) {
		return a.getJobClass().equals(b.getJobClass()) && a.isDurable() == b.isDurable()
				&& a.requestsRecovery() == b.requestsRecovery()
				&& Objects.equals(a.getDescription(), b.getDescription());
	}

	static boolean sameSchedule(Trigger a, Trigger b) {
		if (a.getMisfireInstruction() != b.getMisfireInstruction() || !a.getJobKey().equals(b.getJobKey())) {
			return false;
		}
		if (a instanceof CronTrigger ca && b instanceof CronTrigger cb) {
			return ca.getCronExpression().equals(cb.getCronExpression())
					&& ca.getTimeZone().getID().equals(cb.getTimeZone().getID());
		}
		if (a instanceof SimpleTrigger sa && b instanceof SimpleTrigger sb) {
			return sa.getRepeatInterval() == sb.getRepeatInterval() && sa.getRepeatCount() == sb.getRepeatCount();
		}
		return false;
	}

	private static String describe(Trigger trigger) {
		if (trigger instanceof CronTrigger cron) {
			return "cron '" + cron.getCronExpression() + "' (" + cron.getTimeZone().getID() + ")";
		}
		if (trigger instanceof SimpleTrigger simple) {
			return "every " + Durations.iso(Duration.ofMillis(simple.getRepeatInterval()));
		}
		return trigger.getClass().getSimpleName();
	}

}
