package org.fleethealth.metrics;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which formats' writing is kept: the one scraped last and those scraped since the last set are written ahead for a
 * new set; a format scraped once is dropped at the set after next, and written again when asked.
 */
class FleetExpositionTests {

	private final ExpositionFormats formats = ExpositionFormats.init();

	private final ExpositionFormatWriter openMetrics = this.formats.getOpenMetricsTextFormatWriter();

	private final ExpositionFormatWriter text = this.formats.getPrometheusTextFormatWriter();

	private final FleetExposition exposition = new FleetExposition();

	private static MetricSnapshots set(double value) {
		return MetricSnapshots.of(GaugeSnapshot.builder()
			.name("fleet_workers")
			.help("Number of workers in each state")
			.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
				.labels(Labels.of("master", "lab", "state", "healthy"))
				.value(value)
				.build())
			.build());
	}

	private static String written(List<FleetExposition.Chunk> chunks) {
		StringBuilder out = new StringBuilder();
		chunks.forEach((c) -> out.append(new String(c.bytes(), 0, c.length(), StandardCharsets.UTF_8)));
		return out.toString();
	}

	@Test
	void keepsTheFormatsBeingScrapedAndDropsAOneOff() {
		MetricSnapshots first = set(1);
		assertThat(written(this.exposition.of(this.text, first))).contains("fleet_workers{master=\"lab\",state=\"healthy\"} 1");
		assertThat(written(this.exposition.of(this.openMetrics, first))).contains("# TYPE fleet_workers gauge");
		assertThat(this.exposition.kept()).containsExactlyInAnyOrder(this.text, this.openMetrics);

		// Both were scraped since the last set: both are written ahead for the next one.
		MetricSnapshots second = set(2);
		this.exposition.prepare(second);
		assertThat(this.exposition.kept()).containsExactlyInAnyOrder(this.text, this.openMetrics);

		// Only OpenMetrics (the last one asked for) is scraped from here: text is dropped at the set after.
		this.exposition.of(this.openMetrics, second);
		MetricSnapshots third = set(3);
		this.exposition.prepare(third);
		assertThat(this.exposition.kept()).containsExactly(this.openMetrics);
		MetricSnapshots fourth = set(4);
		this.exposition.prepare(fourth);
		assertThat(this.exposition.kept()).containsExactly(this.openMetrics);

		// Asked again, text is written for the set of the moment.
		assertThat(written(this.exposition.of(this.text, fourth))).contains("fleet_workers{master=\"lab\",state=\"healthy\"} 4");
		assertThat(written(this.exposition.of(this.openMetrics, fourth))).contains("state=\"healthy\"} 4");
	}

	@Test
	void aLargeFamilyIsWrittenInBlocksAsOneWriteWouldBe() throws Exception {
		GaugeSnapshot.Builder family = GaugeSnapshot.builder().name("fleet_worker_connected").help("Whether connected");
		for (int w = 0; w < 20_000; w++) {
			family.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
				.labels(Labels.of("master", "lab", "worker", "worker-" + w))
				.value(w % 2)
				.build());
		}
		MetricSnapshots set = MetricSnapshots.of(family.build());
		java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
		this.openMetrics.write(whole, set);
		String expected = whole.toString(StandardCharsets.UTF_8);
		assertThat(expected.length()).isGreaterThan(4 * FleetExposition.BLOCK);

		List<FleetExposition.Chunk> chunks = this.exposition.of(this.openMetrics, set);

		assertThat(chunks).hasSizeGreaterThan(4)
			.allSatisfy((c) -> assertThat(c.bytes().length).isLessThanOrEqualTo(FleetExposition.BLOCK));
		assertThat(written(chunks)).isEqualTo(expected.substring(0, expected.length() - "# EOF\n".length()));
	}

	@Test
	void anEofLineAcrossTwoBlocksIsLeftOut() {
		byte[] text = new byte[FleetExposition.BLOCK + 3];
		java.util.Arrays.fill(text, (byte) 'x');
		System.arraycopy("\n# E".getBytes(StandardCharsets.UTF_8), 0, text, text.length - 4, 4);
		FleetExposition.Blocks out = new FleetExposition.Blocks();
		out.write(text, 0, text.length);
		out.write("OF\n".getBytes(StandardCharsets.UTF_8), 0, 3);

		String written = written(out.chunksWithoutEof());

		assertThat(written).hasSize(text.length - 3).endsWith("xxx\n");
	}

	@Test
	void textWithoutEofIsKeptWhole() {
		FleetExposition.Blocks out = new FleetExposition.Blocks();
		out.write("fleet_workers 1\n".getBytes(StandardCharsets.UTF_8), 0, 16);

		assertThat(written(out.chunksWithoutEof())).isEqualTo("fleet_workers 1\n");
	}

	@Test
	void nothingIsWrittenAheadBeforeTheFirstScrape() {
		this.exposition.prepare(set(1));
		assertThat(this.exposition.kept()).isEmpty();
	}

}
