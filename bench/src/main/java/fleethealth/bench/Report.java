package fleethealth.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;

/** Renders benchmark results as the Markdown of {@code bench/RESULTS.md}, with the issue 7 targets checked. */
final class Report {

	private Report() {
	}

	static String markdown(List<JsonNode> results, Map<String, String> options, String args) throws Exception {
		StringBuilder md = new StringBuilder();
		md.append("# fleet-health benchmark results\n\n");
		md.append("- Date: ").append(BenchMain.now()).append('\n');
		md.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
			.append(memTotal()).append(", ").append(System.getProperty("java.vm.name")).append(' ')
			.append(System.getProperty("java.version")).append('\n');
		md.append("- Command: `./mvnw -Pbench verify")
			.append(args.isBlank() ? "" : " -Dbench.args=\"" + args + "\"")
			.append("`\n");
		md.append("- Service JVM: `-Xmx").append(options.get("xmx")).append(" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError`; fake master in its own JVM. ")
			.append("Each cycle: ").append(options.get("new")).append(" new builds; ").append(options.get("warmup"))
			.append("1".equals(options.get("warmup")) ? " warm-up cycle" : " warm-up cycles")
			.append(" (the JIT compiler is still busy during the first ones), then the median of ").append(options.get("cycles")).append(" cycles.\n");
		md.append(String.format(Locale.ROOT, "- Noise: the fake master shares the cores (its own JVM); load average at the "
				+ "end of the run %.1f. Times are medians within one run (cycles: ",
				java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())).append(options.get("cycles")).append(", scrapes: 10, classifier: 7, "
				+ "service classification: 3, workers + last build finished: 5); the first sync is a single measurement.\n\n");

		md.append("## First sync and incremental poll cycle\n\n");
		md.append("| db | workers | stored builds | first sync (s) | backfilled rows | rows/s | cycle (s) | floor (s) | "
				+ "**cycle / floor** | CPU: cycle / floor (s) | fetch+store / classify / snapshot (s) | GC in cycle (s) | heartbeat poll (s) | of the cycle, on the poll thread (s) |\n");
		md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|\n");
		for (JsonNode r : results) {
			md.append(row(r.path("db").asString(), num(r, "workers"), num(r, "stored")));
			if (r.has("error") && !r.has("cycles")) {
				md.append(" failed: ").append(r.path("error").asString()).append(" |\n");
				continue;
			}
			md.append(String.format(Locale.ROOT,
					" %.1f | %,d | %,.0f | %.2f | %.2f | **%.1f** | %.2f / %.2f = %.1f | %.2f / %.2f / %.2f | %.2f | %.2f | %.2f |%n",
					r.path("firstSyncS").asDouble(), r.path("backfilledRows").asLong(),
					r.path("backfillRowsPerS").asDouble(), cycles(r, "cycleS"), cycles(r, "floorS"),
					cycles(r, "ratio"), cycles(r, "cycleCpuS"), cycles(r, "floorCpuS"), cycles(r, "cpuRatio"),
					cycles(r, "fetchStoreS"), cycles(r, "classifyS"), cycles(r, "snapshotS"), cycles(r, "cycleGcS"),
					cycles(r, "heartbeatS"), cycles(r, "pollThreadS")));
		}

		md.append("\n## Classification, scrape and memory\n\n");
		md.append("| db | workers | stored builds | builds in 7d window | classifier alone (s, CPU s) | classification in the service (s) | "
				+ "of which workers + last build finished (s) | scrape (ms): OpenMetrics / text | scrape size (KiB) | series | peak heap used (MiB, -Xmx) | "
				+ "live heap after full GC (MiB) | peak RSS (MiB) |\n");
		md.append("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---:|---:|\n");
		for (JsonNode r : results) {
			if (!r.has("scrapeS")) {
				continue;
			}
			md.append(row(r.path("db").asString(), num(r, "workers"), num(r, "stored")));
			md.append(String.format(Locale.ROOT, " %,d | %.3f, %.3f | %.2f | %.2f | %.1f / %.1f | %,d | %,d | %d (%d) | %d | %d |%n",
					r.path("windowBuilds").asLong(), r.path("classifyPureS").asDouble(),
					r.path("classifyPureCpuS").asDouble(), r.path("classifyServiceS").asDouble(),
					r.path("lastBuildFinishedS").asDouble(), r.path("scrapeOpenMetricsS").asDouble() * 1000,
					r.path("scrapeTextS").asDouble() * 1000,
					r.path("scrapeBytes").asLong() / 1024, r.path("scrapeSeries").asLong(),
					r.path("peakHeapUsedMiB").asLong(), r.path("xmxMiB").asLong(), r.path("liveHeapMiB").asLong(),
					r.path("peakRssMiB").asLong()));
		}

		md.append("\n## Requests to the master\n\n");
		md.append("| db | workers | stored builds | first sync requests | requests per cycle | largest cycle response (KiB) | "
				+ "heartbeat response (KiB) | unbounded | repeated | cursor behind | worker states |\n");
		md.append("|---|---:|---:|---|---|---:|---:|---:|---:|---:|---|\n");
		for (JsonNode r : results) {
			if (!r.has("cycles")) {
				continue;
			}
			JsonNode last = last(r.path("cycles"));
			md.append(row(r.path("db").asString(), num(r, "workers"), num(r, "stored")));
			md.append(String.format(Locale.ROOT, " %s | %s | %,d (%s) | %,d | %d | %d | %d | %s |%n",
					compact(r.path("firstSyncRequests")), compact(last.path("requests")),
					last.path("largestBytes").asLong() / 1024, last.path("largestEndpoint").asString(),
					last.path("heartbeatBytes").asLong() / 1024, sum(r, "unbounded"), sum(r, "duplicateRequests"),
					sum(r, "cursorBehind"), compact(r.path("states"))));
		}

		md.append("\n## Targets (issue 7)\n\n");
		md.append(Targets.check(results));

		Path notes = Path.of("bench", "NOTES.md");
		if (Files.exists(notes)) {
			md.append("\n").append(Files.readString(notes));
		}
		return md.toString();
	}

	static String row(String db, long workers, long stored) {
		return String.format(Locale.ROOT, "| %s | %,d | %,d |", db, workers, stored);
	}

	static long num(JsonNode r, String field) {
		return r.path(field).asLong();
	}

	/** The median of one field over the measured cycles. */
	static double cycles(JsonNode r, String field) {
		List<Double> values = new ArrayList<>();
		// A ratio over a floor of no CPU at all is written as "Infinity" (a cycle with nothing new to read: --new 0).
		r.path("cycles")
			.forEach((c) -> values.add(c.path(field).isString() ? Double.parseDouble(c.path(field).asString())
					: c.path(field).asDouble()));
		return values.isEmpty() ? Double.NaN : BenchRun.median(values);
	}

	static long sum(JsonNode r, String field) {
		long sum = 0;
		for (JsonNode c : r.path("cycles")) {
			sum += c.path(field).asLong();
		}
		return sum;
	}

	static JsonNode last(JsonNode array) {
		return array.get(array.size() - 1);
	}

	static String compact(JsonNode object) {
		Map<String, String> sorted = new TreeMap<>();
		object.properties().forEach((e) -> sorted.put(e.getKey(), e.getValue().asString()));
		StringBuilder sb = new StringBuilder();
		sorted.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
		return sb.toString();
	}

	static List<JsonNode> select(List<JsonNode> results, Predicate<JsonNode> which) {
		return results.stream().filter(which).filter((r) -> r.has("cycles")).toList();
	}

	private static String memTotal() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemTotal:")) {
					return (Long.parseLong(line.replaceAll("\\D", "")) >> 20) + " GiB";
				}
			}
		}
		catch (Exception ex) {
			// not Linux
		}
		return "? GiB";
	}

}
