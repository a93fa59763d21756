package org.fleethealth.health;

import java.util.List;

/** Published after a master's workers were classified, with the fresh reports of its configured workers. */
public record WorkersClassified(String master, List<WorkerReport> workers) {
}
