package org.fleethealth.metrics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
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
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.core.io.AbstractResource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;

/**
 * {@code /actuator/prometheus} over HTTP, with the fleet families streamed from the bytes written once per
 * classification ({@link FleetExposition}) instead of written out on every scrape. At 10,000 workers they are about
 * 130,000 series and 16 MB: writing them took most of a scrape, and copying them into one body array for each scrape
 * was what an {@code -Xmx256m} run ran out of memory on. The response reads the kept parts as it is sent. Everything
 * else (JVM, HTTP, poll and mail meters) is written as usual. A scrape that names the metrics it wants
 * ({@code includedNames}) or asks for protobuf is served by Spring Boot's endpoint, as is a scrape through JMX.
 */
@EndpointWebExtension(endpoint = PrometheusScrapeEndpoint.class)
class FleetScrapeWebExtension {

	private final PrometheusScrapeEndpoint endpoint;

	private final PrometheusRegistry registry;

	private final FleetMetrics fleet;

	private final ExpositionFormats formats;

	// Sized from the last scrape, as Spring Boot's endpoint does, so the buffer does not grow by copying.
	private volatile int nextSize = 1024;

	FleetScrapeWebExtension(PrometheusScrapeEndpoint endpoint, PrometheusRegistry registry,
			@Nullable Properties exporterProperties, FleetMetrics fleet) {
		this.endpoint = endpoint;
		this.registry = registry;
		this.fleet = fleet;
		this.formats = ExpositionFormats.init(((exporterProperties != null)
				? PrometheusPropertiesLoader.load(exporterProperties) : PrometheusPropertiesLoader.load())
			.getExporterProperties());
	}

	/**
	 * The exposition in the negotiated format: the service's other meters, then the fleet families, then
	 * OpenMetrics' {@code # EOF} line. Its length is known before it is sent.
	 */
	@ReadOperation(producesFrom = PrometheusOutputFormat.class)
	public WebEndpointResponse<Resource> scrape(PrometheusOutputFormat format, @Nullable Set<String> includedNames) {
		ExpositionFormatWriter writer = switch (format) {
			case CONTENT_TYPE_004 -> this.formats.getPrometheusTextFormatWriter();
			case CONTENT_TYPE_OPENMETRICS_100 -> this.formats.getOpenMetricsTextFormatWriter();
			default -> null;
		};
		if (writer == null || includedNames != null) {
			WebEndpointResponse<byte[]> plain = this.endpoint.scrape(format, includedNames);
			return new WebEndpointResponse<>(new ByteArrayResource(plain.getBody()), format);
		}
		try {
			MetricSnapshots others = this.registry.scrape((name) -> !this.fleet.owns(name));
			ByteArrayOutputStream out = new ByteArrayOutputStream(this.nextSize);
			writer.write(out, others);
			byte[] head = out.toByteArray();
			this.nextSize = head.length + 1024;
			int headLength = FleetExposition.lengthWithoutEof(head, head.length);
			List<FleetExposition.Chunk> parts = new ArrayList<>();
			parts.add(new FleetExposition.Chunk(head, headLength));
			parts.addAll(this.fleet.render(writer));
			// OpenMetrics ends with one "# EOF" line: after the fleet families, not between.
			if (headLength != head.length) {
				parts.add(new FleetExposition.Chunk(FleetExposition.EOF, FleetExposition.EOF.length));
			}
			return new WebEndpointResponse<>(new Exposition(parts), format);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Writing metrics failed", ex);
		}
	}

	/** The parts of one exposition read in order; the parts are never changed once written, so nothing is copied. */
	static final class Exposition extends AbstractResource {

		private final List<FleetExposition.Chunk> parts;

		Exposition(List<FleetExposition.Chunk> parts) {
			this.parts = List.copyOf(parts);
		}

		@Override
		public InputStream getInputStream() {
			List<InputStream> streams = new ArrayList<>(this.parts.size());
			for (FleetExposition.Chunk part : this.parts) {
				streams.add(new ByteArrayInputStream(part.bytes(), 0, part.length()));
			}
			return new SequenceInputStream(Collections.enumeration(streams));
		}

		@Override
		public boolean exists() {
			return true;
		}

		@Override
		public long contentLength() {
			return this.parts.stream().mapToLong(FleetExposition.Chunk::length).sum();
		}

		@Override
		public String getDescription() {
			return "Prometheus exposition of " + this.parts.size() + " parts";
		}

		@Override
		public boolean equals(Object other) {
			return this == other;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this);
		}

	}

}
