package org.fleethealth.system;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * At shutdown, the reactions to events (classification, metrics, release gate, pruning, quarantine, mail) finish
 * before the database goes away. They run on Spring Boot's application task executor, which waits for them when it
 * is destroyed ({@code spring.task.execution.shutdown.await-termination}); without an order between the two, the JPA
 * {@code EntityManagerFactory} could be closed first, and a reaction queued by the last poll failed with "Could not
 * open JPA EntityManager for transaction: EntityManagerFactory is closed". The executor is made to depend on the
 * entity manager factory, so it is destroyed, and waits for its tasks, before it.
 */
@Configuration(proxyBeanMethods = false)
class ShutdownOrder {

	static final String ENTITY_MANAGER_FACTORY = "entityManagerFactory";

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

}
