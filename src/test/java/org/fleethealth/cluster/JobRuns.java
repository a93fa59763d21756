package org.fleethealth.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The job runs that instances logged (the main code's {@code JobRunListener}): which node ran which firing
 * (job and scheduled time) when, and whether it was a recovery of a dead instance's run.
 */
final class JobRuns {

	private static final Pattern STARTED = Pattern.compile(
			"^(\\S+)\\s+INFO .*Running job '([^']+)' scheduled for (\\S+) on instance (\\S+)( \\(recovering)?");

	private JobRuns() {
	}

	/** One run as logged when it started. */
	record Run(String node, String job, Instant scheduled, String instance, Instant loggedAt, boolean recovering) {
	}

	static List<Run> of(Collection<Node> nodes) {
		List<Run> runs = new ArrayList<>();
		for (Node node : nodes) {
			runs.addAll(of(node));
		}
		return runs;
	}

	static List<Run> of(Node node) {
		List<Run> runs = new ArrayList<>();
		for (String line : node.logLines()) {
			Matcher m = STARTED.matcher(line);
			if (m.find()) {
				runs.add(new Run(node.name(), m.group(2), Instant.parse(m.group(3)), m.group(4),
						Instant.parse(m.group(1)), m.group(5) != null));
			}
		}
		return runs;
	}

}
