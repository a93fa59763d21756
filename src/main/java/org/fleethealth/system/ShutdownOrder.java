package org.fleethealth.system;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.task.ThreadPoolTaskExecutorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * At shutdown, the reactions to events (classification, metrics, release gate, pruning, quarantine, mail) finish
 * before the database goes away. They run on Spring Boot's application task executor, which waits for them when it
 * is destroyed ({@code spring.task.execution.shutdown.await-termination}); without an order between the two, the JPA
 * {@code EntityManagerFactory} could be closed first, and a reaction queued by the last poll failed with "Could not
 * open JPA EntityManager for transaction: EntityManagerFactory is closed". The executor is made to depend on the
 * entity manager factory, so it is destroyed, and waits for its tasks, before it.
 * <p>
 * A reaction still running then may publish the next event (a round ends, its metrics, gate and pruning follow): the
 * executor no longer takes tasks, and Spring logged each refusal as an ERROR with its stack trace. Those reactions
 * are left to the event publication registry instead, which keeps them unfinished: they run again after the next
 * start, once {@code fleet-health.events.stale-after} has passed. One line says so.
 */
@Configuration(proxyBeanMethods = false)
class ShutdownOrder {

	static final String ENTITY_MANAGER_FACTORY = "entityManagerFactory";

	private static final Log logger = LogFactory.getLog(ShutdownOrder.class);

	@Bean
	static ThreadPoolTaskExecutorCustomizer reactionsLeftToTheRegistryAtShutdown() {
		return (executor) -> executor.setRejectedExecutionHandler(new LeftForTheNextStart());
	}

	@Bean
	static BeanFactoryPostProcessor reactionsBeforeTheDatabase() {
		return (beans) -> {
			String executor = TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME;
			if (!beans.containsBeanDefinition(executor) || !beans.containsBeanDefinition(ENTITY_MANAGER_FACTORY)) {
				return;
			}
			BeanDefinition definition = beans.getBeanDefinition(executor);
			List<String> dependsOn = new ArrayList<>();
			if (definition.getDependsOn() != null) {
				dependsOn.addAll(Arrays.asList(definition.getDependsOn()));
			}
			if (!dependsOn.contains(ENTITY_MANAGER_FACTORY)) {
				dependsOn.add(ENTITY_MANAGER_FACTORY);
				definition.setDependsOn(dependsOn.toArray(String[]::new));
			}
		};
	}

	/**
	 * Refuses quietly what is submitted once the executor shuts down (one INFO line per stop); anything else it
	 * refuses, it refuses as the JDK's default policy does.
	 */
	static final class LeftForTheNextStart implements RejectedExecutionHandler {

		private final AtomicBoolean said = new AtomicBoolean();

		@Override
		public void rejectedExecution(Runnable task, ThreadPoolExecutor executor) {
			if (!executor.isShutdown()) {
				throw new RejectedExecutionException("Task " + task + " rejected from " + executor);
			}
			if (this.said.compareAndSet(false, true)) {
				logger.info("Stopping: reactions to events published from now on are not started; the event"
						+ " publication registry keeps them, and they run again after fleet-health.events.stale-after");
			}
		}

	}

}
