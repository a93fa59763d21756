package org.fleethealth;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of fleet-health: keeps Buildbot CI fleets healthy. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class FleetHealthApplication {

	public static void main(String[] args) {
		SpringApplication.run(FleetHealthApplication.class, args);
	}

}
