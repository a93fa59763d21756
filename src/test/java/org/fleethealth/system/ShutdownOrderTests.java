package org.fleethealth.system;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.fleethealth.FleetHealthApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The reactions to events finish before the database goes away ({@link ShutdownOrder}): at shutdown the
 * application task executor is destroyed (and waits for its tasks) before the entity manager factory closes, and a
 * reaction submitted after that is left to the event publication registry without an error.
 */
@ExtendWith(OutputCaptureExtension.class)
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

	@Test
	void aReactionSubmittedWhileStoppingIsLeftWithoutAnError(CapturedOutput output) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(FleetHealthApplication.class).run(
				"--server.port=0", "--fleet-health.poll.enabled=false",
				"--spring.datasource.url=jdbc:h2:mem:shutdown-rejections;DB_CLOSE_DELAY=-1");
		try {
			ThreadPoolTaskExecutor executor = context.getBean(EXECUTOR, ThreadPoolTaskExecutor.class);
			executor.shutdown();
			AtomicBoolean ran = new AtomicBoolean();
			assertThatNoException().isThrownBy(() -> executor.execute(() -> ran.set(true)));
			assertThatNoException().isThrownBy(() -> executor.submit(() -> ran.set(true)));
			assertThat(ran).isFalse();
			assertThat(output).containsOnlyOnce("reactions to events published from now on are not started")
				.doesNotContain("TaskRejectedException");
		}
		finally {
			context.close();
		}
	}

}
