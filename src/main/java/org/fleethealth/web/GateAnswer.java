package org.fleethealth.web;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.fleethealth.fleet.MasterStatus;
import org.fleethealth.gate.GateReport;

/**
 * The body of {@code /api/release-gate} and {@code /api/release-gate/check}: the gate's own fields, then whether it
 * is current. A gate is evaluated from what was last read from its master, so while the master does not answer it
 * stays as of that answer; a release script that must not trust an old verdict checks {@code masterAnswering}.
 *
 * @param gate the gate, its fields at the top level of the JSON
 * @param masterAnswering whether the master answered fleet-health's last poll ({@code fleet_source_up}); {@code true}
 * while it has not been asked yet
 * @param lastAnswerAt when fleet-health last read the master ({@code null} before the first answer): the gate is as
 * of then
 */
record GateAnswer(@JsonUnwrapped GateReport gate, boolean masterAnswering, Instant lastAnswerAt) {

	static GateAnswer of(GateReport gate, MasterStatus master) {
		return (master != null) ? new GateAnswer(gate, master.up(), master.lastSuccessAt())
				: new GateAnswer(gate, true, null);
	}

}
