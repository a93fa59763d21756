package fleethealth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * The "Load on the master" section of {@code bench/RESULTS.md}, from a {@link LoadRun}. It lives between two markers,
 * so that {@code --mode load} replaces only it and a run of the main benchmark, which rewrites the file, keeps it.
 */
final class LoadReport {

	static final String START = "<!-- load-on-master: written by --mode load; kept when the rest of the file is rewritten -->";

	static final String END = "<!-- /load-on-master -->";

	private LoadReport() {
	}

	/** Writes the section into {@code out}: in place of the last one, else before the notes, else at the end. */
	static void write(Path out, JsonNode r, String args) throws IOException {
		String section = section(r, args);
		System.out.println();
		System.out.println(section);
		String text = Files.exists(out) ? Files.readString(out) : "";
		Files.writeString(out, splice(text, section));
	}

	/** The freshly rendered main report with the load section of the file it replaces, if that had one. */
	static String keepSection(Path out, String fresh) throws IOException {
		if (!Files.exists(out)) {
			return fresh;
		}
		String old = Files.readString(out);
		int start = old.indexOf(START);
		int end = old.indexOf(END);
		if (start < 0 || end < start) {
			return fresh;
		}
		return splice(fresh, old.substring(start, end + END.length()));
	}

	private static String splice(String text, String section) {
		int start = text.indexOf(START);
		int end = text.indexOf(END);
		if (start >= 0 && end > start) {
			return text.substring(0, start) + section + text.substring(end + END.length());
		}
		// Before the notes (bench/NOTES.md is appended to the generated report), else at the end.
		int notes = text.indexOf("\n## Why the missed target is missed");
		if (notes >= 0) {
			return text.substring(0, notes + 1) + section + "\n\n" + text.substring(notes + 1);
		}
		return text + (text.isEmpty() || text.endsWith("\n\n") ? "" : "\n") + section + "\n";
	}

	static String section(JsonNode r, String args) {
		StringBuilder md = new StringBuilder(START).append('\n');
		md.append("## Load on the master: fleet-health and CPython's release dashboard (issue 18)\n\n");
		md.append("- Date: ").append(BenchMain.now()).append("; command: `./mvnw -Pbench verify -Dbench.args=\"")
			.append(args)
			.append("\"`\n");
		md.append(String.format(Locale.ROOT,
				"- Fleet: the fake master in %s's shape (`../shared/fleets/%s.json`): %,d workers, %,d builders, %,d "
						+ "builds a day, %,d builds of history. Each row is %d simulated minutes of normal operation on the "
						+ "same master, the clock moved on a minute at a time (method: `bench/README.md`, \"Load on the "
						+ "master\").%n%n",
				r.path("shape").asString(), r.path("shape").asString(), r.path("workers").asLong(),
				r.path("builders").asLong(), r.path("perDay").asLong(), r.path("stored").asLong(),
				r.path("minutes").asLong()));
		if (r.has("error")) {
			md.append("The run failed: ").append(r.path("error").asString()).append("\n").append(END);
			return md.toString();
		}
		double hours = r.path("minutes").asDouble() / 60;
		JsonNode dashboard = r.path("dashboard");
		JsonNode polling = r.path("polling");
		JsonNode stream = r.path("stream");
		md.append("| who, how | requests / hour | bytes / hour | requests without `limit` / hour | by endpoint: requests, KiB / hour |\n");
		md.append("|---|---:|---:|---:|---|\n");
		md.append(row("CPython's release dashboard, refreshed every " + r.path("dashboardEveryMin").asInt()
				+ " min: workers, builders, the last 200 finished builds of each builder of a supported branch, changes of the builds it shows",
				dashboard, hours));
		md.append(row("**fleet-health polling at its defaults**: workers every 1 min (with masters and waiting build "
				+ "requests), builders + new builds + builds seen running + failed builds' steps every 2 min", polling,
				hours));
		md.append(row("**heard live** (issue 18, `LiveStreams`): the WebSocket stream (`ws`: upgrade and commands as "
				+ "requests, bytes pushed), a builds poll (no builders) a second after builds start or finish and no "
				+ "sooner than `stream-builds-interval` (2 min) after the last, the workers list, builders, builds and "
				+ "master processes every " + r.path("reconcileEveryMin").asInt() + " min, waiting build requests every "
				+ "1 min", stream, hours));
		double requestRatio = dashboard.path("requests").asDouble() / polling.path("requests").asDouble();
		double byteRatio = dashboard.path("bytes").asDouble() / polling.path("bytes").asDouble();
		md.append(String.format(Locale.ROOT,
				"%n**Dashboard / fleet-health polling: %.0f times the requests, %.0f times the bytes.** Target (issue 18): "
						+ "fleet-health at most one tenth of the dashboard's requests and bytes: **%s** (%.1f%% of its "
						+ "requests, %.1f%% of its bytes).%n%n",
				requestRatio, byteRatio, (requestRatio >= 10 && byteRatio >= 10) ? "met" : "missed",
				100 / requestRatio, 100 / byteRatio));
		double streamRequestRatio = dashboard.path("requests").asDouble() / stream.path("requests").asDouble();
		double streamByteRatio = dashboard.path("bytes").asDouble() / stream.path("bytes").asDouble();
		md.append(String.format(Locale.ROOT,
				"- Heard live, with %d-minute reconciliation: %.0f times fewer requests and %.0f times fewer bytes than the "
						+ "dashboard, %.1f times fewer bytes than polling alone (stream at the end: %s). The one-tenth "
						+ "target heard live: **%s** (%.1f%% of its requests, %.1f%% of its bytes).%n",
				r.path("reconcileEveryMin").asInt(), streamRequestRatio, streamByteRatio,
				polling.path("bytes").asDouble() / stream.path("bytes").asDouble(), r.path("streamStatus").asString(),
				(streamRequestRatio >= 10 && streamByteRatio >= 10) ? "met" : "missed", 100 / streamRequestRatio,
				100 / streamByteRatio));
		md.append("- The stream's keepalive, Buildbot's `ping` every `stream-ping-interval` (30 s), runs on real time and is "
				+ "not in the simulated hour: 120 pings an hour, about 4 KiB of pongs.\n");
		JsonNode first = r.path("firstSync");
		md.append(String.format(Locale.ROOT,
				"- Not in the hours: fleet-health's first sync, once, %,d requests and %,.0f KiB in %.1f s (with the "
						+ "default `page-size` 200 and `max-backfill-pages` 250 it reads back to the 14-day `lookback`, at "
						+ "most 50,000 builds, and the failing steps of up to `max-step-fetches-first-sync` (1,000) failed "
						+ "builds).%n",
				first.path("requests").asLong(), first.path("bytes").asDouble() / 1024, r.path("firstSyncS").asDouble()));
		md.append(String.format(Locale.ROOT,
				"- The service's CPU for the polled hour: %.1f s (%.0f s a day); for the stream hour: %.1f s.%n",
				r.path("pollingCpuS").asDouble(), r.path("pollingCpuS").asDouble() / hours * 24,
				r.path("streamCpuS").asDouble()));
		md.append("- What the dashboard found over its refreshes (builders, summed): ")
			.append(compact(r.path("dashboardProblems")))
			.append(". Its source comment says a cron job forces a refresh every 5 minutes, which is 20% more than the "
					+ "6-minute cache this row uses.\n");
		md.append(END);
		return md.toString();
	}

	private static String row(String who, JsonNode load, double hours) {
		StringBuilder by = new StringBuilder();
		for (Map.Entry<String, JsonNode> e : load.path("endpoints").properties()) {
			by.append(by.isEmpty() ? "" : ", ")
				.append(String.format(Locale.ROOT, "%s %,.0f, %,.0f", e.getKey(),
						e.getValue().path("requests").asDouble() / hours, e.getValue().path("bytes").asDouble() / 1024 / hours));
		}
		return String.format(Locale.ROOT, "| %s | %,.0f | %s | %,.0f | %s |%n", who,
				load.path("requests").asDouble() / hours, bytes(load.path("bytes").asDouble() / hours),
				load.path("unbounded").asDouble() / hours, by);
	}

	static String bytes(double bytes) {
		if (bytes >= 1024 * 1024) {
			return String.format(Locale.ROOT, "%,.1f MiB", bytes / 1024 / 1024);
		}
		return String.format(Locale.ROOT, "%,.0f KiB", bytes / 1024);
	}

	private static String compact(JsonNode object) {
		StringBuilder sb = new StringBuilder();
		object.properties().forEach((e) -> sb.append(sb.isEmpty() ? "" : ", ").append(e.getKey()).append(' ')
			.append(e.getValue().asString()));
		return sb.isEmpty() ? "none" : sb.toString();
	}

}
