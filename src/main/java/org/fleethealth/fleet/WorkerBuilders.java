package org.fleethealth.fleet;

import java.util.Set;

import org.fleethealth.fleet.internal.Worker;

/**
 * A configured worker and the builders it serves, read without loading the worker: for evaluations over the
 * whole fleet after every classification (the release gate), where 10,000 entities cost more than the rest.
 *
 * @param name the worker's name
 * @param buildbotId the master's id of it
 * @param connected whether it is connected
 * @param builderIds the master's ids of the builders it is configured on
 */
public record WorkerBuilders(String name, long buildbotId, boolean connected, Set<Long> builderIds) {

	/** From the stored columns (the builder ids comma-separated), for the query. */
	public WorkerBuilders(String name, long buildbotId, boolean connected, String builderIds) {
		this(name, buildbotId, connected, Worker.builderIds(builderIds));
	}

}
