package org.fleethealth.buildbot;

import java.time.Clock;
import java.util.List;

import jakarta.annotation.PreDestroy;

import org.fleethealth.source.FleetProperties;
import org.fleethealth.source.FleetSource;
import org.fleethealth.source.FleetSources;
import org.springframework.stereotype.Component;

/** One {@link BuildbotClient} per configured master; their event streams are closed with the application. */
@Component
class BuildbotSources implements FleetSources {

	private final List<BuildbotClient> clients;

	private final List<FleetSource> sources;

	BuildbotSources(FleetProperties fleet, BuildbotProperties properties, Clock clock) {
		this.clients = fleet.masters().stream().map((master) -> new BuildbotClient(master, properties, clock)).toList();
		this.sources = List.copyOf(this.clients);
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
