package org.fleethealth.system;

import java.util.Date;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * A trial's single instance logged some 12,000 "Running job ... / finished" INFO lines a day, mail delivery's every
 * 30 s among them: on one instance routine runs are DEBUG, failures WARN, and the counters count every run. In
 * clustered mode each run is INFO (which instance ran which firing).
 */
@ExtendWith(OutputCaptureExtension.class)
class JobRunListenerTests {

	static final JobKey DELIVER = JobKey.jobKey("deliver-mail");

	SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@Test
	void oneInstanceCountsRoutineRunsWithoutALogLineAndWarnsOfFailures(CapturedOutput output) throws Exception {
		JobRunListener listener = new JobRunListener(this.meters, List.of(DELIVER), false);
		JobExecutionContext run = run(false);
		listener.jobToBeExecuted(run);
		listener.jobWasExecuted(run, null);
		assertThat(output).doesNotContain("deliver-mail");
		assertThat(this.meters.get("fleet.jobs.runs").tag("job", "deliver-mail").counter().count()).isEqualTo(1);

		listener.jobToBeExecuted(run);
		listener.jobWasExecuted(run, new JobExecutionException(new IllegalStateException("SMTP down")));
		assertThat(output.toString().lines().filter((l) -> l.contains("deliver-mail"))).singleElement()
			.satisfies((line) -> assertThat(line).contains("WARN")
				.contains("Job 'deliver-mail' scheduled for 2026-12-01T12:00:00Z on instance vm-1-0a1b2c3d failed")
				.contains("SMTP down"));
		assertThat(this.meters.get("fleet.jobs.failures").tag("job", "deliver-mail").counter().count()).isEqualTo(1);
	}

	@Test
	void aClusterLogsEveryRunAndOneInstanceARecoveredOne(CapturedOutput output) throws Exception {
		JobRunListener clustered = new JobRunListener(this.meters, List.of(DELIVER), true);
		clustered.jobToBeExecuted(run(false));
		clustered.jobWasExecuted(run(false), null);
		assertThat(output).contains("INFO")
			.contains("Running job 'deliver-mail' scheduled for 2026-12-01T12:00:00Z on instance vm-1-0a1b2c3d")
			.contains("Job 'deliver-mail' scheduled for 2026-12-01T12:00:00Z on instance vm-1-0a1b2c3d finished in");

		JobRunListener single = new JobRunListener(this.meters, List.of(DELIVER), false);
		single.jobToBeExecuted(run(true));
		assertThat(output).contains("(recovering the run of a failed instance)");
	}

	static JobExecutionContext run(boolean recovering) throws Exception {
		JobExecutionContext context = mock(JobExecutionContext.class);
		JobDetail detail = mock(JobDetail.class);
		Scheduler scheduler = mock(Scheduler.class);
		given(detail.getKey()).willReturn(DELIVER);
		given(context.getJobDetail()).willReturn(detail);
		given(context.getScheduledFireTime()).willReturn(Date.from(java.time.Instant.parse("2026-12-01T12:00:00Z")));
		given(context.getScheduler()).willReturn(scheduler);
		given(scheduler.getSchedulerInstanceId()).willReturn("vm-1-0a1b2c3d");
		given(context.isRecovering()).willReturn(recovering);
		given(context.getJobRunTime()).willReturn(12L);
		return context;
	}

}
