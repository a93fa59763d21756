package org.fleethealth.buildbot;

import java.time.Clock;
import java.util.List;

import jakarta.annotation.PreDestroy;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.source.FleetProperties;
import org.fleethealth.source.FleetSource;
import org.fleethealth.source.FleetSources;
import org.springframework.stereotype.Component;

/** One {@link BuildbotClient} per configured master; their event streams are closed with the application. */
@Component
class BuildbotSources implements FleetSources {

	private static final Log logger = LogFactory.getLog(BuildbotSources.class);

	private final List<BuildbotClient> clients;

	private final List<FleetSource> sources;

	BuildbotSources(FleetProperties fleet, BuildbotProperties properties, Clock clock) {
		this.clients = fleet.masters().stream().map((master) -> new BuildbotClient(master, properties, clock)).toList();
		this.sources = List.copyOf(this.clients);
		if (this.clients.isEmpty()) {
			// The pages say so too, but whoever starts it reads the log first.
			logger.warn("No Buildbot master is configured (fleet-health.masters[0].name and .url): nothing is polled."
					+ " See README.md, 'Run it' and 'Configuration reference'.");
		}
	}

	@PreDestroy
	void closeStreams() {
		this.clients.forEach(BuildbotClient::closeStream);
	}

	@Override
	public List<FleetSource> sources() {
		return this.sources;
	}

}
