package org.fleethealth.fleet.internal;

import org.fleethealth.fleet.OwnerProperties;
import org.fleethealth.source.FleetProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The owner resolution rules, from the configuration. */
@Configuration(proxyBeanMethods = false)
public class OwnerConfiguration {

	@Bean
	OwnerResolver ownerResolver(FleetProperties fleet, OwnerProperties owners) {
		return new OwnerResolver(fleet.owners(), fleet.ownersByPrefix(), owners.ignoreOwnerPatterns());
	}

}
