package org.fleethealth.system;

import io.micrometer.core.instrument.MeterRegistry;
import org.quartz.JobDetail;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.quartz.autoconfigure.SchedulerFactoryBeanCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Logs and counts every job run, on one instance or several ({@link JobRunListener}). */
@Configuration(proxyBeanMethods = false)
class JobRunConfiguration {

	@Bean
	SchedulerFactoryBeanCustomizer jobRunListener(MeterRegistry meters, ObjectProvider<JobDetail> jobs,
			ClusterProperties cluster) {
		JobRunListener listener = new JobRunListener(meters, jobs.orderedStream().map(JobDetail::getKey).toList(),
				cluster.enabled());
		return (factory) -> factory.setGlobalJobListeners(listener);
	}

}
