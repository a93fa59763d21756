package org.fleethealth.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.fleethealth.MutableClock;
import org.fleethealth.fleet.FleetQueries;
import org.fleethealth.gate.ReleaseGates;
import org.fleethealth.health.WorkerReports;
import org.fleethealth.mail.OnceOverService;
import org.fleethealth.mail.OutboxReader;
import org.fleethealth.pruning.PruningProperties;
import org.fleethealth.pruning.PruningService;
import org.fleethealth.pruning.ReplyService;
import org.fleethealth.pruning.SharedWorkers;
import org.fleethealth.quarantine.QuarantineService;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * A web slice of fleet-health: the controllers, their advice and the real security configuration, with the
 * services the controllers use mocked (autowire them to give them answers), the clock at
 * {@link PageFixtures#NOW} (a {@link MutableClock}) and a simple meter registry.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WebMvcTest
@Import({ SecurityConfiguration.class, ApprovedRemovals.class, WebSliceTest.Config.class })
@MockitoBean(types = { FleetQueries.class, PruningService.class, ReplyService.class, OnceOverService.class,
		OutboxReader.class, WorkerReports.class, ReleaseGates.class, QuarantineService.class, SharedWorkers.class })
@interface WebSliceTest {

	/** Properties of the slice, as {@code @WebMvcTest(properties = ...)}. */
	@AliasFor(annotation = WebMvcTest.class, attribute = "properties")
	String[] properties() default {};

	/** What the real application configures besides the web layer: the security and pruning properties and the clock. */
	@TestConfiguration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ FleetSecurityProperties.class, PruningProperties.class })
	class Config {

		@Bean
		MutableClock clock() {
			return new MutableClock(PageFixtures.NOW);
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
