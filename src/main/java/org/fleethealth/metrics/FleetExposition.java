package org.fleethealth.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The fleet families written out once per family and exposition format, then streamed by every scrape: at 10,000
 * workers they are about 16 MB and take about as long to write as a scrape may (bench/NOTES.md). A family that did not
 * change since the last set (the same snapshot object: {@link FleetMetrics} keeps a family whose data points are all
 * the same) is not written again; a round that changed nothing, or a few workers' last-seen times, writes little.
 * One format is written at a time, into buffers kept without copying: two writers at once, each growing and copying
 * its buffer, were most of the heap the service needs at 10,000 workers (an {@code -Xmx256m} run ran out of it there).
 * For a new set, only the format asked for last (Prometheus asks for one) and those asked for since the last set are
 * written ahead and kept: another one (a person's {@code curl}) is written when asked and dropped at the set after
 * next, so it does not hold 16 MB more for good.
 */
final class FleetExposition {

	/** OpenMetrics ends every exposition with this line; the fleet families go before it. */
	static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.UTF_8);

	private final Map<ExpositionFormatWriter, Rendered> rendered = new ConcurrentHashMap<>();

	/** The writer of the last scrape. */
	private volatile ExpositionFormatWriter latest;

	/** The writers asked for since the last set. */
	private final Set<ExpositionFormatWriter> asked = ConcurrentHashMap.newKeySet();

	/**
	 * The set as the writer writes it, family by family in the set's order, without a terminating {@code # EOF} line:
	 * from the last write while the set is the same one, and each family from the last write while it is the same.
	 */
	List<Chunk> of(ExpositionFormatWriter writer, MetricSnapshots current) {
		this.latest = writer;
		this.asked.add(writer);
		return written(writer, current);
	}

	private List<Chunk> written(ExpositionFormatWriter writer, MetricSnapshots current) {
		Rendered cached = this.rendered.get(writer);
		if (cached != null && cached.source() == current) {
			return cached.chunks();
		}
		synchronized (this) {
			cached = this.rendered.get(writer);
			if (cached != null && cached.source() == current) {
				return cached.chunks();
			}
			Map<MetricSnapshot, Chunk> before = (cached != null) ? cached.byFamily() : Map.of();
			Map<MetricSnapshot, Chunk> byFamily = new IdentityHashMap<>();
			List<Chunk> chunks = new ArrayList<>();
			for (MetricSnapshot family : current) {
				Chunk chunk = before.get(family);
				if (chunk == null) {
					chunk = write(writer, family);
				}
				byFamily.put(family, chunk);
				chunks.add(chunk);
			}
			this.rendered.put(writer, new Rendered(current, List.copyOf(chunks), byFamily));
			return chunks;
		}
	}

	private static Chunk write(ExpositionFormatWriter writer, MetricSnapshot family) {
		Buffer out = new Buffer(8192);
		try {
			writer.write(out, MetricSnapshots.of(family));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Writing the fleet metrics failed", ex);
		}
		return new Chunk(out.bytes(), lengthWithoutEof(out.bytes(), out.size()));
	}

	/**
	 * Writes a new set out in the format scraped last and in those scraped since the last set, before any scrape
	 * asks: the next scrape only copies. What was written in other formats is dropped.
	 */
	void prepare(MetricSnapshots current) {
		Set<ExpositionFormatWriter> keep = new HashSet<>(this.asked);
		this.asked.removeAll(keep);
		ExpositionFormatWriter last = this.latest;
		if (last != null) {
			keep.add(last);
		}
		this.rendered.keySet().retainAll(keep);
		keep.forEach((writer) -> written(writer, current));
	}

	/** The formats whose writing of some set is kept (for tests). */
	Set<ExpositionFormatWriter> kept() {
		return Set.copyOf(this.rendered.keySet());
	}

	/** How many of the first {@code length} bytes come before a trailing {@code # EOF} line, if there is one. */
	static int lengthWithoutEof(byte[] bytes, int length) {
		int n = EOF.length;
		if (length >= n && Arrays.equals(bytes, length - n, length, EOF, 0, n)) {
			return length - n;
		}
		return length;
	}

	/** The first {@code length} bytes of {@code bytes}; never changed once made. */
	record Chunk(byte[] bytes, int length) {
	}

	/** One set as written by one writer, and each of its families' part. */
	private record Rendered(MetricSnapshots source, List<Chunk> chunks, Map<MetricSnapshot, Chunk> byFamily) {
	}

	/** A buffer whose bytes are taken as they are, not copied out. */
	private static final class Buffer extends ByteArrayOutputStream {

		Buffer(int size) {
			super(size);
		}

		byte[] bytes() {
			return this.buf;
		}

	}

}
