package org.fleethealth.system;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The one clock of the application (and node-local scheduling, for work every instance does itself). Main code never reads the wall clock directly, so tests can move
 * time instead of sleeping.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ClockConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
