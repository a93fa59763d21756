package org.fleethealth.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.ConditionalOnEnabledMetricsExport;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Replaces Spring Boot's Prometheus endpoint (it backs off when one exists) with {@link FleetScrapeEndpoint},
 * under the same conditions: Prometheus export enabled and the endpoint available.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEnabledMetricsExport("prometheus")
@ConditionalOnAvailableEndpoint(PrometheusScrapeEndpoint.class)
class ScrapeConfiguration {

	@Bean
	PrometheusScrapeEndpoint prometheusEndpoint(PrometheusRegistry registry, PrometheusConfig config,
			FleetMetrics fleet) {
		return new FleetScrapeEndpoint(registry, config.prometheusProperties(), fleet);
	}

}
