package org.fleethealth.fleet;

import java.time.Instant;
import java.util.List;

/**
 * A master's live event stream changed what is stored about its workers (connects, disconnects, pauses), between
 * two polls. Published once per batch of events heard together, so judgements follow within moments.
 *
 * @param master the watched master's name
 * @param at when the batch was stored (the service clock)
 * @param changes how many connects, disconnects, pauses and unpauses the batch recorded
 * @param connections the workers whose connection changed, each as the batch left it (last change wins): what can be
 * shown before the judgement that follows is made
 */
public record FleetHeard(String master, Instant at, int changes, List<Connection> connections) {

	public FleetHeard {
		connections = (connections != null) ? List.copyOf(connections) : List.of();
	}

	/**
	 * One worker's connection as heard.
	 *
	 * @param worker the worker's name on the master
	 * @param connected whether it is connected now
	 * @param at when the connect or disconnect was heard: the worker was seen connected until then
	 */
	public record Connection(String worker, boolean connected, Instant at) {
	}

}
