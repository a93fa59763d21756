package org.fleethealth.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import io.prometheus.metrics.config.PrometheusPropertiesLoader;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;

/**
 * {@code /actuator/prometheus}, with the fleet families copied from bytes written once per classification
 * instead of written out on every scrape. At 10,000 workers they are about 130,000 series and 12 MB, and
 * writing them took most of a scrape; everything else (JVM, HTTP, poll and mail meters) is written as usual.
 * A scrape that names the metrics it wants ({@code includedNames}) or asks for protobuf is served the usual way.
 */
class FleetScrapeEndpoint extends PrometheusScrapeEndpoint {

	private final PrometheusRegistry registry;

	private final FleetMetrics fleet;

	private final ExpositionFormats formats;

	// Sized from the last scrape, as Spring Boot's endpoint does, so the buffer does not grow by copying.
	private volatile int nextSize = 1024;

	FleetScrapeEndpoint(PrometheusRegistry registry, @Nullable Properties exporterProperties, FleetMetrics fleet) {
		super(registry, exporterProperties);
		this.registry = registry;
		this.fleet = fleet;
		this.formats = ExpositionFormats.init(((exporterProperties != null)
				? PrometheusPropertiesLoader.load(exporterProperties) : PrometheusPropertiesLoader.load())
			.getExporterProperties());
	}

	@Override
	@ReadOperation(producesFrom = PrometheusOutputFormat.class)
	public WebEndpointResponse<byte[]> scrape(PrometheusOutputFormat format, @Nullable Set<String> includedNames) {
		ExpositionFormatWriter writer = switch (format) {
			case CONTENT_TYPE_004 -> this.formats.getPrometheusTextFormatWriter();
			case CONTENT_TYPE_OPENMETRICS_100 -> this.formats.getOpenMetricsTextFormatWriter();
			default -> null;
		};
		if (writer == null || includedNames != null) {
			return super.scrape(format, includedNames);
		}
		try {
			MetricSnapshots others = this.registry.scrape((name) -> !this.fleet.owns(name));
			ByteArrayOutputStream out = new ByteArrayOutputStream(this.nextSize);
			writer.write(out, others);
			byte[] head = out.toByteArray();
			List<FleetExposition.Chunk> fleet = this.fleet.render(writer);
			int headLength = FleetExposition.lengthWithoutEof(head, head.length);
			// OpenMetrics ends with one "# EOF" line: after the fleet families, not between.
			byte[] tail = (headLength != head.length) ? FleetExposition.EOF : new byte[0];
			int fleetLength = fleet.stream().mapToInt(FleetExposition.Chunk::length).sum();
			byte[] body = new byte[headLength + fleetLength + tail.length];
			System.arraycopy(head, 0, body, 0, headLength);
			int at = headLength;
			for (FleetExposition.Chunk chunk : fleet) {
				System.arraycopy(chunk.bytes(), 0, body, at, chunk.length());
				at += chunk.length();
			}
			System.arraycopy(tail, 0, body, at, tail.length);
			this.nextSize = head.length + 1024;
			return new WebEndpointResponse<>(body, format);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Writing metrics failed", ex);
		}
	}

}
