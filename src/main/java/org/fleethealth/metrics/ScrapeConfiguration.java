package org.fleethealth.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.ConditionalOnEnabledMetricsExport;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Serves {@code /actuator/prometheus} over HTTP through {@link FleetScrapeWebExtension}, under the conditions of
 * Spring Boot's endpoint it extends: Prometheus export enabled and the endpoint available.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEnabledMetricsExport("prometheus")
@ConditionalOnAvailableEndpoint(PrometheusScrapeEndpoint.class)
class ScrapeConfiguration {

	@Bean
	FleetScrapeWebExtension prometheusWebExtension(PrometheusScrapeEndpoint endpoint, PrometheusRegistry registry,
			PrometheusConfig config, FleetMetrics fleet) {
		return new FleetScrapeWebExtension(endpoint, registry, config.prometheusProperties(), fleet);
	}

}
