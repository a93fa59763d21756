package org.fleethealth.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The settings the fault tests give an instance: short intervals, a stand-in master, a local SMTP server. */
final class NodeSettings {

	private final Map<String, String> properties = new LinkedHashMap<>();

	private NodeSettings() {
	}

	/** Polls every 2 s (builds every 3 s), a short digest cron, recorded builds always within the window. */
	static NodeSettings forMaster(String masterUrl, String userAgent, int smtpPort) {
		NodeSettings settings = new NodeSettings();
		settings.set("fleet-health.buildbot.user-agent", userAgent)
			.set("fleet-health.masters[0].name", "lab")
			.set("fleet-health.masters[0].url", masterUrl)
			.set("fleet-health.owners[dave-macos]", "Dave Dunn <dave@example.org>")
			.set("fleet-health.poll.workers-interval", "PT2S")
			.set("fleet-health.poll.builds-interval", "PT3S")
			.set("fleet-health.poll.lookback", "P3650D")
			.set("fleet-health.poll.backoff-max", "PT2S")
			.set("fleet-health.classification.window", "P3650D")
			.set("fleet-health.classification.offline-after", "PT3S")
			.set("fleet-health.classification.min-builds", "3")
			.set("fleet-health.mail.once-over-cron", "0/5 * * * * ?")
			.set("fleet-health.mail.send-interval", "PT2S")
			.set("spring.mail.host", "127.0.0.1")
			.set("spring.mail.port", String.valueOf(smtpPort));
		return settings;
	}

	/** Clustered on a PostgreSQL database (the {@code postgres} profile) with a short check-in interval. */
	NodeSettings clustered(String checkinInterval) {
		return set("spring.profiles.active", "postgres").set("fleet-health.cluster.checkin-interval", checkinInterval)
			.set("fleet-health.cluster.refresh-interval", "PT5S");
	}

	NodeSettings set(String property, String value) {
		this.properties.put(property, value);
		return this;
	}

	/** {@code name=value} pairs override. */
	NodeSettings set(String... overrides) {
		for (String override : overrides) {
			String[] kv = override.split("=", 2);
			set(kv[0], kv[1]);
		}
		return this;
	}

	List<String> args() {
		return this.properties.entrySet().stream().map((e) -> "--" + e.getKey() + "=" + e.getValue()).toList();
	}

	/** The environment of the {@code postgres} profile for a database URL. */
	static Map<String, String> postgres(String url) {
		return Map.of("POSTGRES_URL", url, "POSTGRES_USER", TestDatabase.USER, "POSTGRES_PASSWORD", "");
	}

}
