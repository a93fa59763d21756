package org.fleethealth.metrics;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** In the service, {@code /actuator/prometheus} is the endpoint that copies the fleet families. */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:scrape" })
class ScrapeEndpointTests {

	@Autowired
	PrometheusScrapeEndpoint endpoint;

	@Test
	void replacesSpringBootsEndpoint() {
		assertThat(this.endpoint).isInstanceOf(FleetScrapeEndpoint.class);
		String openMetrics = new String(
				this.endpoint.scrape(PrometheusOutputFormat.CONTENT_TYPE_OPENMETRICS_100, null).getBody(),
				StandardCharsets.UTF_8);
		assertThat(openMetrics).contains("# TYPE jvm_memory_used_bytes gauge").endsWith("# EOF\n");
	}

}
