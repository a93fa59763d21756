package org.fleethealth.fleet;

import java.time.Duration;

/**
 * How far back from now a module judges stored builds: the classifier's {@code window}, the gate's
 * {@code stable-after}. The first sync of a master that stops short of {@code poll.lookback} (at
 * {@code poll.max-backfill-pages}) names the settings whose reach it did not cover, and only then warns: on a busy
 * master (LLVM's 4,000 builds a day) the cap stops every first sync short of 14 days, but not short of 7.
 * Modules that judge builds declare one as a bean; {@code fleet} does not depend on them.
 */
public interface BuildHistoryNeed {

	/** The setting that sets the reach, as written in {@code application.properties}. */
	String property();

	/** How far back from now the builds it judges reach. */
	Duration reach();

}
