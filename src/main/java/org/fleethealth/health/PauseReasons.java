package org.fleethealth.health;

import java.util.Map;

/**
 * Why workers are paused, where another module knows better than the master: Buildbot 3.7 does not say why a
 * worker is paused, so a module that pauses workers itself (fleet-health's quarantine) tells the classification
 * here. Implementations are beans; the classification asks them once per master and round.
 */
public interface PauseReasons {

	/**
	 * The reasons this module paused workers of a master for, by worker name, for the workers it holds paused now.
	 *
	 * @param master the watched master's name
	 * @return one line per worker, e.g. {@code "quarantined by fleet-health: proposal #3 ..."}; empty when none
	 */
	Map<String, String> pauseReasons(String master);

}
