package org.fleethealth.fleet;

import java.time.Instant;
import java.util.List;

import org.fleethealth.MutableClock;
import org.fleethealth.SyncEvents;
import org.fleethealth.source.FleetSources;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * The test configuration of whole-service tests: one in-memory master ({@link FakeSource}, named by
 * {@code fake-fleet.master}) instead of the configured ones, and a clock the test moves (starting at
 * {@code fake-fleet.start}). Import it and autowire the two: {@code @Import(FakeFleet.class)}.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(SyncEvents.class)
public class FakeFleet {

	@Bean
	FakeSource fakeSource(@Value("${fake-fleet.master:fake}") String master) {
		return new FakeSource(master);
	}

	@Bean
	FleetSources fakeSources(FakeSource source) {
		return () -> List.of(source);
	}

	@Bean
	@Primary
	MutableClock testClock(@Value("${fake-fleet.start:2026-11-27T12:00:00Z}") Instant start) {
		return new MutableClock(start);
	}

}
