package org.fleethealth.source;

import java.util.List;

/** What one kind of CI adapter contributes: a source per configured master of its kind. */
public interface FleetSources {

	List<FleetSource> sources();

}
