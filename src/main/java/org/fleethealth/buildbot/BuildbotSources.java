package org.fleethealth.buildbot;

import java.util.List;

import org.fleethealth.source.FleetProperties;
import org.fleethealth.source.FleetSource;
import org.fleethealth.source.FleetSources;
import org.springframework.stereotype.Component;

/** One {@link BuildbotClient} per configured master. */
@Component
class BuildbotSources implements FleetSources {

	private final List<FleetSource> sources;

	BuildbotSources(FleetProperties fleet, BuildbotProperties properties) {
		this.sources = fleet.masters()
			.stream()
			.map((master) -> (FleetSource) new BuildbotClient(master, properties))
			.toList();
	}

	@Override
	public List<FleetSource> sources() {
		return this.sources;
	}

}
