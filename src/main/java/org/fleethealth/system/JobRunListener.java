package org.fleethealth.system;

import java.util.Date;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.SchedulerException;
import org.quartz.listeners.JobListenerSupport;

/**
 * Says which instance ran which firing of which job: one line when a run starts and one when it ends, each with
 * the job, the firing's scheduled time and the Quartz instance id, and counters {@code fleet.jobs.runs} and
 * {@code fleet.jobs.failures} per job. In clustered mode the lines are INFO, and every scheduled time of a job
 * appears in exactly one instance's log; a run taken over from a dead instance says "recovering". On one instance
 * routine runs are DEBUG: there they only say that the schedule ran, some 6,000 times a day (mail delivery every
 * 30 s), which the counters say too. A failed run is a WARN everywhere.
 */
class JobRunListener extends JobListenerSupport {

	private static final Log logger = LogFactory.getLog(JobRunListener.class);

	private final MeterRegistry meters;

	private final boolean clustered;

	JobRunListener(MeterRegistry meters, List<JobKey> jobs, boolean clustered) {
		this.meters = meters;
		this.clustered = clustered;
		// Export the counters from the start, so rates are defined before the first run.
		jobs.forEach((job) -> {
			runs(job.getName());
			failures(job.getName());
		});
	}

	@Override
	public String getName() {
		return "fleet-health-job-runs";
	}

	@Override
	public void jobToBeExecuted(JobExecutionContext context) {
		if (!context.isRecovering() && !this.clustered && !logger.isDebugEnabled()) {
			return;
		}
		String line = "Running job '" + job(context) + "' scheduled for " + scheduled(context) + " on instance "
				+ instance(context) + (context.isRecovering() ? " (recovering the run of a failed instance)" : "");
		if (context.isRecovering() || this.clustered) {
			logger.info(line);
		}
		else {
			logger.debug(line);
		}
	}

	@Override
	public void jobWasExecuted(JobExecutionContext context, JobExecutionException failure) {
		String job = job(context);
		runs(job).increment();
		String run = "Job '" + job + "' scheduled for " + scheduled(context) + " on instance " + instance(context);
		if (failure != null) {
			failures(job).increment();
			Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
			logger.warn(run + " failed after " + context.getJobRunTime() + " ms: " + cause);
		}
		else if (this.clustered) {
			logger.info(run + " finished in " + context.getJobRunTime() + " ms");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(run + " finished in " + context.getJobRunTime() + " ms");
		}
	}

	private Counter runs(String job) {
		return Counter.builder("fleet.jobs.runs")
			.description("Runs of a scheduled job that ended on this instance, successfully or not")
			.tag("job", job)
			.register(this.meters);
	}

	private Counter failures(String job) {
		return Counter.builder("fleet.jobs.failures")
			.description("Runs of a scheduled job on this instance that ended with an error")
			.tag("job", job)
			.register(this.meters);
	}

	private static String job(JobExecutionContext context) {
		return context.getJobDetail().getKey().getName();
	}

	private static String scheduled(JobExecutionContext context) {
		Date at = (context.getScheduledFireTime() != null) ? context.getScheduledFireTime() : context.getFireTime();
		return at.toInstant().toString();
	}

	private static String instance(JobExecutionContext context) {
		try {
			return context.getScheduler().getSchedulerInstanceId();
		}
		catch (SchedulerException ex) {
			return "?";
		}
	}

}
