package org.fleethealth;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.SyncTaskExecutor;

/**
 * Runs the reactions to events ({@code @ApplicationModuleListener}s, and classification after a poll) on the
 * thread that committed the event, right after the commit, instead of on the task executor: a test that polls
 * can then read the classification, the metrics and the gate at once. Each reaction still runs after the commit
 * and in a transaction of its own, and the event publication registry still records it, so failures and retries
 * behave as in the service. The end-to-end tests run without it, on the real executor.
 */
@TestConfiguration(proxyBeanMethods = false)
public class SyncEvents {

	@Bean
	SyncTaskExecutor taskExecutor() {
		return new SyncTaskExecutor();
	}

}
