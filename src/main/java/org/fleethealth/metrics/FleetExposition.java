package org.fleethealth.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The fleet families written out once per set and exposition format, then copied by every scrape: at 10,000 workers
 * they are about 16 MB and take about as long to write as a scrape may (bench/NOTES.md). One format is written at a
 * time, into a buffer of the last size, and kept without copying: two writers at once, each growing and copying its
 * buffer, were most of the heap the service needs at 10,000 workers (an {@code -Xmx256m} run ran out of it there).
 */
final class FleetExposition {

	/** OpenMetrics ends every exposition with this line; the fleet families go before it. */
	static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.UTF_8);

	private final Map<ExpositionFormatWriter, Rendered> rendered = new ConcurrentHashMap<>();

	/**
	 * The set as the writer writes it, without a terminating {@code # EOF} line: from the last write while the set is
	 * the same one.
	 */
	Chunk of(ExpositionFormatWriter writer, MetricSnapshots current) {
		Rendered cached = this.rendered.get(writer);
		if (cached != null && cached.source() == current) {
			return cached.chunk();
		}
		synchronized (this) {
			cached = this.rendered.get(writer);
			if (cached != null && cached.source() == current) {
				return cached.chunk();
			}
			Buffer out = new Buffer((cached != null) ? cached.chunk().length() + 4096 : 8192);
			try {
				writer.write(out, current);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Writing the fleet metrics failed", ex);
			}
			Chunk chunk = new Chunk(out.bytes(), lengthWithoutEof(out.bytes(), out.size()));
			this.rendered.put(writer, new Rendered(current, chunk));
			return chunk;
		}
	}

	/** Writes the set out in every format scraped so far, before any scrape asks: the next scrape only copies. */
	void prepare(MetricSnapshots current) {
		this.rendered.keySet().forEach((writer) -> of(writer, current));
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

	/** One set as written by one writer. */
	private record Rendered(MetricSnapshots source, Chunk chunk) {
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
