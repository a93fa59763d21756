package org.fleethealth.system;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.fleethealth.FleetHealthApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactions to events finish before the database goes away ({@link ShutdownOrder}): at shutdown the
 * application task executor is destroyed (and waits for its tasks) before the entity manager factory closes.
 */
class ShutdownOrderTests {

	private static final String EXECUTOR = TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME;

	@Test
	void theTaskExecutorIsDestroyedBeforeTheEntityManagerFactory() {
		List<String> destroyed = new CopyOnWriteArrayList<>();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(FleetHealthApplication.class)
			.initializers((c) -> c.getBeanFactory().addBeanPostProcessor(new DestructionAwareBeanPostProcessor() {

				@Override
				public void postProcessBeforeDestruction(Object bean, String name) {
					if (name.equals(EXECUTOR) || name.equals(ShutdownOrder.ENTITY_MANAGER_FACTORY)) {
						destroyed.add(name);
					}
				}

			}))
			.run("--server.port=0", "--fleet-health.poll.enabled=false",
					"--spring.datasource.url=jdbc:h2:mem:shutdown-order;DB_CLOSE_DELAY=-1");
		assertThat(context.getBeanFactory().getBeanDefinition(EXECUTOR).getDependsOn())
			.contains(ShutdownOrder.ENTITY_MANAGER_FACTORY);
		context.close();
		assertThat(destroyed).containsExactly(EXECUTOR, ShutdownOrder.ENTITY_MANAGER_FACTORY);
	}

}
