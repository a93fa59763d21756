package org.fleethealth.cluster;

/** Reads samples out of a Prometheus text exposition. */
final class Prometheus {

	private Prometheus() {
	}

	/** The sum of the samples of {@code metric} whose labels contain every {@code name="value"} pair given. */
	static double sum(String exposition, String metric, String... labels) {
		double sum = 0;
		boolean found = false;
		for (String line : exposition.lines().toList()) {
			if (line.startsWith("#") || !(line.startsWith(metric + "{") || line.startsWith(metric + " "))) {
				continue;
			}
			int close = line.lastIndexOf('}');
			String labelPart = (close > 0) ? line.substring(0, close + 1) : "";
			boolean matches = true;
			for (String label : labels) {
				matches &= labelPart.contains(label);
			}
			if (matches) {
				String value = line.substring(line.lastIndexOf(' ') + 1);
				sum += Double.parseDouble(value);
				found = true;
			}
		}
		if (!found) {
			// An assertion, so Awaitility's untilAsserted waits for a series that is not published yet.
			throw new AssertionError("no sample of " + metric + " with " + String.join(",", labels));
		}
		return sum;
	}

}
