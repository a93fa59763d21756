package org.fleethealth.metrics;

import java.io.IOException;
import java.io.OutputStream;
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
 * <p>
 * A family is written into blocks of {@link #BLOCK} bytes, not one growing array: a family of 10,000 workers is
 * several MB, and a growing array copies itself as it doubles, keeps up to half its length unused, and takes
 * contiguous heap regions of its own (G1's humongous objects, which a full collection does not move). An
 * {@code -Xmx256m} run ran out of heap with 8 MB of such arrays kept for 4 to 5 MB of text.
 */
final class FleetExposition {

	/** OpenMetrics ends every exposition with this line; the fleet families go before it. */
	static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.UTF_8);

	/**
	 * The size of the blocks a family is written into: well under half of G1's smallest region (1 MB), so no block
	 * is a humongous object, and large enough that a scrape of 16 MB streams about a hundred of them.
	 */
	static final int BLOCK = 128 * 1024;

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
			Map<MetricSnapshot, List<Chunk>> before = (cached != null) ? cached.byFamily() : Map.of();
			Map<MetricSnapshot, List<Chunk>> byFamily = new IdentityHashMap<>();
			List<Chunk> chunks = new ArrayList<>();
			for (MetricSnapshot family : current) {
				List<Chunk> written = before.get(family);
				if (written == null) {
					written = write(writer, family);
				}
				byFamily.put(family, written);
				chunks.addAll(written);
			}
			this.rendered.put(writer, new Rendered(current, List.copyOf(chunks), byFamily));
			return chunks;
		}
	}

	private static List<Chunk> write(ExpositionFormatWriter writer, MetricSnapshot family) {
		Blocks out = new Blocks();
		try {
			writer.write(out, MetricSnapshots.of(family));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Writing the fleet metrics failed", ex);
		}
		return out.chunksWithoutEof();
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

	/** One set as written by one writer, and each of its families' parts. */
	private record Rendered(MetricSnapshots source, List<Chunk> chunks, Map<MetricSnapshot, List<Chunk>> byFamily) {
	}

	/**
	 * An output stream into blocks of {@link #BLOCK} bytes, taken as they are when done; only the last one is
	 * copied, to its length, so nothing kept is longer than its text.
	 */
	static final class Blocks extends OutputStream {

		private final List<byte[]> full = new ArrayList<>();

		private byte[] current = new byte[8192];

		private int used;

		@Override
		public void write(int b) {
			room();
			this.current[this.used++] = (byte) b;
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			while (length > 0) {
				room();
				int n = Math.min(length, this.current.length - this.used);
				System.arraycopy(bytes, offset, this.current, this.used, n);
				this.used += n;
				offset += n;
				length -= n;
			}
		}

		/** Makes room for at least one byte: the first block grows to {@link #BLOCK}, later ones start at it. */
		private void room() {
			if (this.used < this.current.length) {
				return;
			}
			if (this.current.length < BLOCK) {
				this.current = Arrays.copyOf(this.current, Math.min(BLOCK, this.current.length * 4));
				return;
			}
			this.full.add(this.current);
			this.current = new byte[BLOCK];
			this.used = 0;
		}

		/** What was written, as chunks in order, without a trailing {@code # EOF} line (which may span two blocks). */
		List<Chunk> chunksWithoutEof() {
			List<Chunk> chunks = new ArrayList<>(this.full.size() + 1);
			this.full.forEach((block) -> chunks.add(new Chunk(block, block.length)));
			chunks.add(new Chunk(Arrays.copyOf(this.current, this.used), this.used));
			long total = (long) this.full.size() * BLOCK + this.used;
			if (total < EOF.length || !endsWithEof(chunks)) {
				return chunks;
			}
			int drop = EOF.length;
			while (drop > 0) {
				Chunk last = chunks.remove(chunks.size() - 1);
				int cut = Math.min(drop, last.length());
				drop -= cut;
				if (last.length() > cut) {
					chunks.add(new Chunk(last.bytes(), last.length() - cut));
				}
			}
			return chunks;
		}

		private static boolean endsWithEof(List<Chunk> chunks) {
			int matched = 0;
			for (int c = chunks.size() - 1; c >= 0 && matched < EOF.length; c--) {
				Chunk chunk = chunks.get(c);
				for (int i = chunk.length() - 1; i >= 0 && matched < EOF.length; i--) {
					if (chunk.bytes()[i] != EOF[EOF.length - 1 - matched]) {
						return false;
					}
					matched++;
				}
			}
			return matched == EOF.length;
		}

	}

}
